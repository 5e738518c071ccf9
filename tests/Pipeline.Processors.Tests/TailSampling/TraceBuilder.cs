using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Processors.TailSampling;
using Pipeline.Telemetry;

namespace Pipeline.Processors.Tests.TailSampling;

/// <summary>Hand-built spans and traces for the tail sampling tests.</summary>
internal static class TraceBuilder
{
    public static byte[] Id(int trace)
    {
        var id = new byte[16];
        id[0] = 0xAB;
        id[14] = (byte)(trace >> 8);
        id[15] = (byte)trace;
        return id;
    }

    public static Span Span(int trace, string name, long startMs = 0, long endMs = 1, Status.Types.StatusCode code = Status.Types.StatusCode.Unset, string traceState = "")
    {
        return new Span
        {
            TraceId = ByteString.CopyFrom(Id(trace)),
            SpanId = ByteString.CopyFrom(new byte[8] { 1, 2, 3, 4, 5, 6, 7, (byte)name.Length }),
            Name = name,
            StartTimeUnixNano = (ulong)startMs * 1_000_000,
            EndTimeUnixNano = (ulong)endMs * 1_000_000,
            Status = new Status { Code = code },
            TraceState = traceState,
        };
    }

    public static Span With(this Span span, string key, AnyValue value)
    {
        span.Attributes.Add(new KeyValue { Key = key, Value = value });
        return span;
    }

    public static ResourceSpans Rs(params Span[] spans) => Rs(null, spans);

    public static ResourceSpans Rs(KeyValue? attribute, params Span[] spans)
    {
        var resource = new OpenTelemetry.Proto.Resource.V1.Resource();
        resource.Attributes.Add(new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = "svc" } });
        if (attribute is not null)
        {
            resource.Attributes.Add(attribute);
        }

        var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "scope" } };
        scope.Spans.AddRange(spans);
        var rs = new ResourceSpans { Resource = resource };
        rs.ScopeSpans.Add(scope);
        return rs;
    }

    public static Traces Request(params Span[] spans)
    {
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(Rs(spans));
        return Traces.FromEncoded(request.ToByteArray());
    }

    public static TraceData Trace(params Span[] spans) => Trace(Rs(spans));

    public static TraceData Trace(ResourceSpans rs)
    {
        var trace = new TraceData(0, Id(1), DateTimeOffset.UnixEpoch);
        trace.Batches.Add(rs);
        foreach (var ss in rs.ScopeSpans)
        {
            trace.SpanCount += ss.Spans.Count;
        }

        return trace;
    }

    public static AnyValue Str(string s) => new() { StringValue = s };

    public static AnyValue Int(long i) => new() { IntValue = i };

    public static AnyValue Bool(bool b) => new() { BoolValue = b };

    /// <summary>Span names of every batch, in order, one string per batch.</summary>
    public static List<string> Names(IReadOnlyList<Traces> batches)
    {
        var result = new List<string>();
        foreach (var b in batches)
        {
            var names = new List<string>();
            foreach (var rs in b.Request.ResourceSpans)
            {
                foreach (var ss in rs.ScopeSpans)
                {
                    foreach (var s in ss.Spans)
                    {
                        names.Add(s.Name);
                    }
                }
            }

            result.Add(string.Join(",", names));
        }

        return result;
    }
}
