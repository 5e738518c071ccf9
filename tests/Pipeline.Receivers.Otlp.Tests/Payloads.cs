using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace Pipeline.Receivers.Otlp.Tests;

/// <summary>Small, realistic OTLP export requests.</summary>
internal static class Payloads
{
    public static ExportTraceServiceRequest Traces(int spans)
    {
        var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "test" } };
        for (int i = 0; i < spans; i++)
        {
            scope.Spans.Add(new Span
            {
                TraceId = ByteString.CopyFrom(Enumerable.Repeat((byte)(i + 1), 16).ToArray()),
                SpanId = ByteString.CopyFrom(Enumerable.Repeat((byte)(i + 1), 8).ToArray()),
                Name = "GET /orders/" + i,
                Kind = Span.Types.SpanKind.Server,
                StartTimeUnixNano = 1_700_000_000_000_000_000,
                EndTimeUnixNano = 1_700_000_000_001_000_000,
            });
        }

        var resource = new ResourceSpans { Resource = Resource() };
        resource.ScopeSpans.Add(scope);
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(resource);
        return request;
    }

    public static ExportMetricsServiceRequest Metrics(int points)
    {
        var gauge = new Gauge();
        for (int i = 0; i < points; i++)
        {
            gauge.DataPoints.Add(new NumberDataPoint { AsInt = i, TimeUnixNano = 1_700_000_000_000_000_000 });
        }

        var scope = new ScopeMetrics();
        scope.Metrics.Add(new Metric { Name = "queue.depth", Gauge = gauge });
        var resource = new ResourceMetrics { Resource = Resource() };
        resource.ScopeMetrics.Add(scope);
        var request = new ExportMetricsServiceRequest();
        request.ResourceMetrics.Add(resource);
        return request;
    }

    public static ExportLogsServiceRequest Logs(int records)
    {
        var scope = new ScopeLogs();
        for (int i = 0; i < records; i++)
        {
            scope.LogRecords.Add(new LogRecord { Body = new AnyValue { StringValue = "line " + i }, SeverityNumber = SeverityNumber.Info });
        }

        var resource = new ResourceLogs { Resource = Resource() };
        resource.ScopeLogs.Add(scope);
        var request = new ExportLogsServiceRequest();
        request.ResourceLogs.Add(resource);
        return request;
    }

    /// <summary>One span as OTLP/JSON (hex ids, integer enum, string 64-bit numbers).</summary>
    public const string TraceJson = """
        {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}}]},
        "scopeSpans":[{"scope":{"name":"test"},"spans":[{"traceId":"5b8efff798038103d269b633813fc60c",
        "spanId":"eee19b7ec3c1b174","name":"GET /cart","kind":2,"startTimeUnixNano":"1700000000000000000",
        "endTimeUnixNano":"1700000000001000000"}]}]}]}
        """;

    private static Resource Resource()
    {
        var resource = new Resource();
        resource.Attributes.Add(new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = "checkout" } });
        return resource;
    }
}
