using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Telemetry;

namespace Pipeline.Exporters.Tests.Helper;

/// <summary>Builds OTLP trace requests for exporter tests.</summary>
internal static class TestTraces
{
    public static ExportTraceServiceRequest Request(int spans, string service = "checkout")
    {
        var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "test" } };
        for (int i = 0; i < spans; i++)
        {
            scope.Spans.Add(new Span
            {
                TraceId = ByteString.CopyFrom(Enumerable.Repeat((byte)(i + 1), 16).ToArray()),
                SpanId = ByteString.CopyFrom(Enumerable.Repeat((byte)(i + 1), 8).ToArray()),
                Name = "span-" + i,
                Kind = Span.Types.SpanKind.Server,
                StartTimeUnixNano = 1_700_000_000_000_000_000UL + (ulong)i,
                EndTimeUnixNano = 1_700_000_000_500_000_000UL + (ulong)i,
            });
        }

        var resource = new ResourceSpans { Resource = new Resource() };
        resource.Resource.Attributes.Add(new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = service } });
        resource.ScopeSpans.Add(scope);
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(resource);
        return request;
    }

    /// <summary>A pass-through batch: encoded bytes only, never decoded.</summary>
    public static (Traces Batch, byte[] Bytes) Encoded(int spans, string service = "checkout")
    {
        byte[] bytes = Request(spans, service).ToByteArray();
        return (Traces.FromEncoded(bytes), bytes);
    }
}
