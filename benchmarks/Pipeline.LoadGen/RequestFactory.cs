using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace Pipeline.LoadGen;

/// <summary>Builds the encoded export requests once, before the run, so the generator spends nothing on encoding.</summary>
internal static class RequestFactory
{
    public static byte[][] Build(Options o)
    {
        var bodies = new byte[o.Distinct][];
        for (int i = 0; i < bodies.Length; i++)
        {
            var rnd = new Random(i + 1);
            bodies[i] = o.Signal switch
            {
                "traces" => BuildTraces(o, rnd).ToByteArray(),
                "metrics" => BuildMetrics(o, rnd).ToByteArray(),
                _ => BuildLogs(o, rnd).ToByteArray(),
            };
        }

        return bodies;
    }

    private static ulong Now => (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;

    private static Resource MakeResource(int r) => new()
    {
        Attributes =
        {
            new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = "loadgen-" + r } },
            new KeyValue { Key = "host.name", Value = new AnyValue { StringValue = "bench-host-01" } },
        },
    };

    private static InstrumentationScope MakeScope(int s) => new() { Name = "loadgen.scope" + s, Version = "1.0" };

    private static void AddAttributes(Google.Protobuf.Collections.RepeatedField<KeyValue> target, Options o, Random rnd)
    {
        for (int a = 0; a < o.AttributesPerItem; a++)
        {
            var value = a % 3 == 2
                ? new AnyValue { IntValue = rnd.Next(100000) }
                : new AnyValue { StringValue = RandomString(rnd, o.AttributeSize) };
            target.Add(new KeyValue { Key = "attr." + a, Value = value });
        }
    }

    private static string RandomString(Random rnd, int size)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        var chars = new char[size];
        for (int i = 0; i < size; i++)
        {
            chars[i] = alphabet[rnd.Next(alphabet.Length)];
        }

        return new string(chars);
    }

    // Items are spread evenly over resources × scopes.
    private static int Share(int total, int parts, int index) => total / parts + (index < total % parts ? 1 : 0);

    private static ExportTraceServiceRequest BuildTraces(Options o, Random rnd)
    {
        var request = new ExportTraceServiceRequest();
        int part = 0;
        for (int r = 0; r < o.Resources; r++)
        {
            var rs = new ResourceSpans { Resource = MakeResource(r) };
            for (int s = 0; s < o.Scopes; s++, part++)
            {
                var ss = new ScopeSpans { Scope = MakeScope(s) };
                int n = Share(o.ItemsPerRequest, o.Resources * o.Scopes, part);
                for (int i = 0; i < n; i++)
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
                        StartTimeUnixNano = Now,
                        EndTimeUnixNano = Now + 1_500_000,
                    };
                    AddAttributes(span.Attributes, o, rnd);
                    ss.Spans.Add(span);
                }

                rs.ScopeSpans.Add(ss);
            }

            request.ResourceSpans.Add(rs);
        }

        return request;
    }

    private static ExportMetricsServiceRequest BuildMetrics(Options o, Random rnd)
    {
        var request = new ExportMetricsServiceRequest();
        int part = 0;
        for (int r = 0; r < o.Resources; r++)
        {
            var rm = new ResourceMetrics { Resource = MakeResource(r) };
            for (int s = 0; s < o.Scopes; s++, part++)
            {
                var sm = new ScopeMetrics { Scope = MakeScope(s) };
                var sum = new Sum { AggregationTemporality = AggregationTemporality.Cumulative, IsMonotonic = true };
                int n = Share(o.ItemsPerRequest, o.Resources * o.Scopes, part);
                for (int i = 0; i < n; i++)
                {
                    var point = new NumberDataPoint { TimeUnixNano = Now, StartTimeUnixNano = Now - 1_000_000_000, AsInt = rnd.Next(1000) };
                    AddAttributes(point.Attributes, o, rnd);
                    sum.DataPoints.Add(point);
                }

                sm.Metrics.Add(new Metric { Name = "loadgen.requests", Unit = "{request}", Sum = sum });
                rm.ScopeMetrics.Add(sm);
            }

            request.ResourceMetrics.Add(rm);
        }

        return request;
    }

    private static ExportLogsServiceRequest BuildLogs(Options o, Random rnd)
    {
        var request = new ExportLogsServiceRequest();
        int part = 0;
        for (int r = 0; r < o.Resources; r++)
        {
            var rl = new ResourceLogs { Resource = MakeResource(r) };
            for (int s = 0; s < o.Scopes; s++, part++)
            {
                var sl = new ScopeLogs { Scope = MakeScope(s) };
                int n = Share(o.ItemsPerRequest, o.Resources * o.Scopes, part);
                for (int i = 0; i < n; i++)
                {
                    var record = new LogRecord
                    {
                        TimeUnixNano = Now,
                        SeverityNumber = SeverityNumber.Info,
                        SeverityText = "INFO",
                        Body = new AnyValue { StringValue = "order " + rnd.Next(100000) + " shipped" },
                    };
                    AddAttributes(record.Attributes, o, rnd);
                    sl.LogRecords.Add(record);
                }

                rl.ScopeLogs.Add(sl);
            }

            request.ResourceLogs.Add(rl);
        }

        return request;
    }
}
