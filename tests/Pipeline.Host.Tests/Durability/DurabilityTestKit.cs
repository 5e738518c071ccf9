using System.Buffers.Binary;
using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Host.Tests.Cli;

namespace Pipeline.Host.Tests.Durability;

/// <summary>Spans with known IDs, a gRPC sender that keeps only acknowledged spans, and /metrics scraping.</summary>
internal static class DurabilityTestKit
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    /// <summary>A request of <paramref name="count"/> spans; span IDs are (run, request, index) so every span is unique.</summary>
    public static ExportTraceServiceRequest Request(int run, int request, int count, int payloadBytes = 0)
    {
        var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "durability" } };
        string padding = payloadBytes > 0 ? new string('x', payloadBytes) : string.Empty;
        for (int i = 0; i < count; i++)
        {
            var span = new Span
            {
                Name = "op",
                TraceId = ByteString.CopyFrom(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 }),
                SpanId = ByteString.CopyFrom(SpanId(run, request, i)),
                StartTimeUnixNano = 1_700_000_000_000_000_000,
                EndTimeUnixNano = 1_700_000_000_100_000_000,
            };
            if (payloadBytes > 0)
            {
                span.Attributes.Add(new KeyValue { Key = "payload", Value = new AnyValue { StringValue = padding } });
            }

            scope.Spans.Add(span);
        }

        var resource = new ResourceSpans { Resource = new Resource() };
        resource.Resource.Attributes.Add(new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = "durability" } });
        resource.ScopeSpans.Add(scope);
        var export = new ExportTraceServiceRequest();
        export.ResourceSpans.Add(resource);
        return export;
    }

    public static byte[] SpanId(int run, int request, int index)
    {
        byte[] id = new byte[8];
        BinaryPrimitives.WriteUInt16BigEndian(id, (ushort)run);
        BinaryPrimitives.WriteUInt32BigEndian(id.AsSpan(2), (uint)request);
        BinaryPrimitives.WriteUInt16BigEndian(id.AsSpan(6), (ushort)index);
        return id;
    }

    public static IEnumerable<string> SpanIds(int run, int request, int count)
    {
        for (int i = 0; i < count; i++)
        {
            yield return Convert.ToHexString(SpanId(run, request, i));
        }
    }

    /// <summary>
    /// Sends <paramref name="requests"/> requests of <paramref name="perRequest"/> spans, all at once, with a real gRPC
    /// client; returns the span IDs of the requests the collector acknowledged (OK) and the status of the others.
    /// </summary>
    public static async Task<(HashSet<string> Acked, List<StatusCode> Refused)> SendAsync(int port, int run, int requests, int perRequest)
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var calls = Start(channel, run, 0, requests, perRequest);
        return await CollectAsync(calls, run, perRequest);
    }

    /// <summary>Starts the calls without waiting for them.</summary>
    public static List<Task> Start(GrpcChannel channel, int run, int firstRequest, int requests, int perRequest)
    {
        var client = new TraceService.TraceServiceClient(channel);
        var calls = new List<Task>();
        for (int r = 0; r < requests; r++)
        {
            calls.Add(client.ExportAsync(Request(run, firstRequest + r, perRequest), deadline: DateTime.UtcNow + Bound).ResponseAsync);
        }

        return calls;
    }

    /// <summary>Waits for every call; request r of the list carries request number r.</summary>
    public static async Task<(HashSet<string> Acked, List<StatusCode> Refused)> CollectAsync(List<Task> calls, int run, int perRequest, int firstRequest = 0)
    {
        var acked = new HashSet<string>(StringComparer.Ordinal);
        var refused = new List<StatusCode>();
        for (int r = 0; r < calls.Count; r++)
        {
            try
            {
                await calls[r];
                acked.UnionWith(SpanIds(run, firstRequest + r, perRequest));
            }
            catch (RpcException e)
            {
                refused.Add(e.StatusCode);
            }
        }

        return (acked, refused);
    }

    /// <summary>The collector's Prometheus text from <c>/metrics</c>, or empty when it does not answer.</summary>
    public static async Task<string> ScrapeAsync(int metricsPort)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            return await http.GetStringAsync(new Uri($"http://127.0.0.1:{metricsPort}/metrics"));
        }
        catch (HttpRequestException)
        {
            return string.Empty;
        }
    }

    /// <summary>Sum of every series of <paramref name="name"/> (any labels) in Prometheus text.</summary>
    public static double Sum(string text, string name)
    {
        double sum = 0;
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith(name, StringComparison.Ordinal) || line.Length == name.Length || (line[name.Length] != '{' && line[name.Length] != ' '))
            {
                continue;
            }

            int space = line.LastIndexOf(' ');
            sum += double.Parse(line.AsSpan(space + 1), NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return sum;
    }

    public static async Task<bool> PollAsync(Func<bool> condition, TimeSpan? bound = null)
    {
        var deadline = DateTime.UtcNow + (bound ?? Bound);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }

    public static async Task<bool> PollAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }

    public static async Task<HostProcess> StartCollectorAsync(string config)
    {
        var host = HostProcess.Start("--config", config);
        if (!await host.WaitForStderrAsync("Everything is ready.", Bound))
        {
            string stderr = host.Stderr;
            host.Dispose();
            throw new InvalidOperationException("The collector did not start:\n" + stderr);
        }

        return host;
    }

    public static int Occurrences(string text, string what)
    {
        int n = 0;
        for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }
}
