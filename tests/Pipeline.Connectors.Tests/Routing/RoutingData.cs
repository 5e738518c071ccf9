using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Telemetry;
using Xunit;

namespace Pipeline.Connectors.Tests.Routing;

/// <summary>Hand-built batches: one resource per tenant, items named so tests can list where each went.</summary>
internal static class RoutingData
{
    public static Resource Tenant(string tenant) => new() { Attributes = { Attr("tenant", tenant) } };

    public static KeyValue Attr(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    public static KeyValue Attr(string key, long value) => new() { Key = key, Value = new AnyValue { IntValue = value } };

    /// <summary>Traces with one resource per (tenant, span names) entry, one scope each.</summary>
    public static Traces Traces(params (string Tenant, string[] Spans)[] resources)
    {
        var request = new ExportTraceServiceRequest();
        foreach (var (tenant, spans) in resources)
        {
            var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "lib" } };
            foreach (string name in spans)
            {
                scope.Spans.Add(new Span { Name = name, TraceId = Google.Protobuf.ByteString.CopyFrom(new byte[16]), SpanId = Google.Protobuf.ByteString.CopyFrom(new byte[8]) });
            }

            request.ResourceSpans.Add(new ResourceSpans { Resource = Tenant(tenant), ScopeSpans = { scope } });
        }

        return Pipeline.Telemetry.Traces.FromRequest(request);
    }

    public static Logs Logs(params (string Tenant, string[] Bodies)[] resources)
    {
        var request = new ExportLogsServiceRequest();
        foreach (var (tenant, bodies) in resources)
        {
            var scope = new ScopeLogs { Scope = new InstrumentationScope { Name = "lib" } };
            foreach (string body in bodies)
            {
                var severity = body.StartsWith("error", StringComparison.Ordinal) ? SeverityNumber.Error : SeverityNumber.Info;
                scope.LogRecords.Add(new LogRecord { Body = new AnyValue { StringValue = body }, SeverityNumber = severity });
            }

            request.ResourceLogs.Add(new ResourceLogs { Resource = Tenant(tenant), ScopeLogs = { scope } });
        }

        return Pipeline.Telemetry.Logs.FromRequest(request);
    }

    /// <summary>Metrics: per tenant, gauges named as given, each with one point per value of attribute "host".</summary>
    public static Metrics Metrics(params (string Tenant, string[] Metrics, string[] Hosts)[] resources)
    {
        var request = new ExportMetricsServiceRequest();
        foreach (var (tenant, names, hosts) in resources)
        {
            var scope = new ScopeMetrics { Scope = new InstrumentationScope { Name = "lib" } };
            foreach (string name in names)
            {
                var sum = new Sum { AggregationTemporality = AggregationTemporality.Cumulative, IsMonotonic = true };
                foreach (string host in hosts)
                {
                    sum.DataPoints.Add(new NumberDataPoint { AsInt = 1, Attributes = { Attr("host", host) } });
                }

                scope.Metrics.Add(new Metric { Name = name, Unit = "1", Sum = sum });
            }

            request.ResourceMetrics.Add(new ResourceMetrics { Resource = Tenant(tenant), ScopeMetrics = { scope } });
        }

        return Pipeline.Telemetry.Metrics.FromRequest(request);
    }

    /// <summary>"tenant:span" for every span, in order.</summary>
    public static List<string> Names(IEnumerable<Traces> batches)
    {
        var result = new List<string>();
        foreach (var batch in batches)
        {
            foreach (var rs in batch.Request.ResourceSpans)
            {
                foreach (var ss in rs.ScopeSpans)
                {
                    Assert.Equal("lib", ss.Scope.Name);
                    foreach (var span in ss.Spans)
                    {
                        result.Add(TenantOf(rs.Resource) + ":" + span.Name);
                    }
                }
            }
        }

        return result;
    }

    public static List<string> Names(IEnumerable<Logs> batches)
    {
        var result = new List<string>();
        foreach (var batch in batches)
        {
            foreach (var rl in batch.Request.ResourceLogs)
            {
                foreach (var sl in rl.ScopeLogs)
                {
                    foreach (var record in sl.LogRecords)
                    {
                        result.Add(TenantOf(rl.Resource) + ":" + record.Body.StringValue);
                    }
                }
            }
        }

        return result;
    }

    /// <summary>"tenant:metric:host" for every data point.</summary>
    public static List<string> Names(IEnumerable<Metrics> batches)
    {
        var result = new List<string>();
        foreach (var batch in batches)
        {
            foreach (var rm in batch.Request.ResourceMetrics)
            {
                foreach (var sm in rm.ScopeMetrics)
                {
                    foreach (var metric in sm.Metrics)
                    {
                        Assert.Equal(AggregationTemporality.Cumulative, metric.Sum.AggregationTemporality);
                        Assert.True(metric.Sum.IsMonotonic);
                        foreach (var point in metric.Sum.DataPoints)
                        {
                            result.Add(TenantOf(rm.Resource) + ":" + metric.Name + ":" + point.Attributes[0].Value.StringValue);
                        }
                    }
                }
            }
        }

        return result;
    }

    private static string TenantOf(Resource resource) => resource.Attributes[0].Value.StringValue;
}
