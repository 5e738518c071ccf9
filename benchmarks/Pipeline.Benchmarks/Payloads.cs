using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace Pipeline.Benchmarks;

/// <summary>
/// Realistic OTLP payloads: the shape of ../shared/bench's load generator (one resource, one scope, N server spans
/// with the 10 HTTP attributes an instrumented service emits), so figures compare with the yardstick.
/// </summary>
public static class Payloads
{
    /// <summary>An export request of <paramref name="spans"/> spans.</summary>
    public static ExportTraceServiceRequest Traces(int spans, int seed = 7)
    {
        var rnd = new Random(seed);
        var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "bench", Version = "1.0" } };
        ulong now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        for (int i = 0; i < spans; i++)
        {
            var traceId = new byte[16];
            var spanId = new byte[8];
            rnd.NextBytes(traceId);
            rnd.NextBytes(spanId);
            var span = new Span
            {
                TraceId = ByteString.CopyFrom(traceId),
                SpanId = ByteString.CopyFrom(spanId),
                Name = "GET /api/orders/{id}",
                Kind = Span.Types.SpanKind.Server,
                StartTimeUnixNano = now,
                EndTimeUnixNano = now + 1_500_000,
                Status = new Status(),
            };
            span.Attributes.Add(Str("http.request.method", "GET"));
            span.Attributes.Add(Str("url.path", "/api/orders/" + rnd.Next(100000)));
            span.Attributes.Add(Str("http.route", "/api/orders/{id}"));
            span.Attributes.Add(Int("http.response.status_code", 200));
            span.Attributes.Add(Str("server.address", "orders.internal"));
            span.Attributes.Add(Int("server.port", 8080));
            span.Attributes.Add(Str("client.address", "10.1.2.3"));
            span.Attributes.Add(Str("network.protocol.version", "1.1"));
            span.Attributes.Add(Str("user_agent.original", "curl/7.88.1"));
            span.Attributes.Add(Str("app.tenant", "tenant-" + rnd.Next(50)));
            scope.Spans.Add(span);
        }

        var resource = new ResourceSpans { Resource = new Resource() };
        resource.Resource.Attributes.Add(Str("service.name", "bench"));
        resource.Resource.Attributes.Add(Str("host.name", "bench-host-01"));
        resource.ScopeSpans.Add(scope);
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(resource);
        return request;
    }

    private static KeyValue Str(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    private static KeyValue Int(string key, long value) => new() { Key = key, Value = new AnyValue { IntValue = value } };
}
