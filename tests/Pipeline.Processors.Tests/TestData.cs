using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Telemetry;
using ProtoResource = OpenTelemetry.Proto.Resource.V1.Resource;

namespace Pipeline.Processors.Tests;

/// <summary>Builds small OTLP payloads whose items are named <c>{prefix}{n}</c> in order.</summary>
internal static class TestData
{
    public static Traces Spans(int count, string prefix = "s", int perScope = 3, int scopesPerResource = 2, bool encoded = true)
    {
        var request = new ExportTraceServiceRequest();
        int made = 0;
        int r = 0;
        while (made < count)
        {
            var rs = new ResourceSpans { Resource = Resource("svc" + r++) };
            for (int s = 0; s < scopesPerResource && made < count; s++)
            {
                var ss = new ScopeSpans { Scope = new InstrumentationScope { Name = "scope" + s } };
                for (int i = 0; i < perScope && made < count; i++)
                {
                    ss.Spans.Add(new Span { Name = prefix + made++, TraceId = ByteString.CopyFrom(new byte[16]), SpanId = ByteString.CopyFrom(new byte[8]) });
                }

                rs.ScopeSpans.Add(ss);
            }

            request.ResourceSpans.Add(rs);
        }

        return encoded ? Traces.FromEncoded(request.ToByteArray()) : Traces.FromRequest(request);
    }

    public static Logs LogRecords(int count, string prefix = "l", int perScope = 3)
    {
        var request = new ExportLogsServiceRequest();
        int made = 0;
        while (made < count)
        {
            var rl = new ResourceLogs { Resource = Resource("svc") };
            var sl = new ScopeLogs { Scope = new InstrumentationScope { Name = "scope" } };
            for (int i = 0; i < perScope && made < count; i++)
            {
                sl.LogRecords.Add(new LogRecord { Body = new AnyValue { StringValue = prefix + made++ } });
            }

            rl.ScopeLogs.Add(sl);
            request.ResourceLogs.Add(rl);
        }

        return Logs.FromEncoded(request.ToByteArray());
    }

    /// <summary>One gauge and one histogram per resource, each with up to <paramref name="perMetric"/> points.</summary>
    public static Metrics Points(int count, int perMetric = 7)
    {
        var request = new ExportMetricsServiceRequest();
        int made = 0;
        while (made < count)
        {
            var sm = new ScopeMetrics { Scope = new InstrumentationScope { Name = "scope" } };
            var gauge = new Metric { Name = "g", Unit = "1", Gauge = new Gauge() };
            for (int i = 0; i < perMetric && made < count; i++)
            {
                gauge.Gauge.DataPoints.Add(new NumberDataPoint { AsInt = made++ });
            }

            sm.Metrics.Add(gauge);
            if (made < count)
            {
                var histogram = new Metric { Name = "h", Histogram = new Histogram { AggregationTemporality = AggregationTemporality.Delta } };
                for (int i = 0; i < perMetric && made < count; i++)
                {
                    histogram.Histogram.DataPoints.Add(new HistogramDataPoint { Count = (ulong)made++ });
                }

                sm.Metrics.Add(histogram);
            }

            var rm = new ResourceMetrics { Resource = Resource("svc") };
            rm.ScopeMetrics.Add(sm);
            request.ResourceMetrics.Add(rm);
        }

        return Metrics.FromEncoded(request.ToByteArray());
    }

    public static List<string> SpanNames(IEnumerable<Traces> batches)
    {
        var names = new List<string>();
        foreach (var batch in batches)
        {
            foreach (var rs in batch.Request.ResourceSpans)
            {
                foreach (var ss in rs.ScopeSpans)
                {
                    foreach (var span in ss.Spans)
                    {
                        names.Add(span.Name);
                    }
                }
            }
        }

        return names;
    }

    private static ProtoResource Resource(string service) => new()
    {
        Attributes = { new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = service } } },
    };
}
