using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using OpenTelemetry.Proto.Collector.Trace.V1;
using Pipeline.Host.Tests.Cli;
using Xunit.Abstractions;
using static Pipeline.Host.Tests.Durability.DurabilityTestKit;

namespace Pipeline.Host.Tests.Durability;

/// <summary>
/// memory_limiter in the real collector process, flooded by concurrent OTLP/gRPC and OTLP/HTTP clients while the backend
/// holds every export call (so accepted data piles up in the exporter's in-memory queue).
/// </summary>
public sealed class MemoryLimiterFloodTests(ITestOutputHelper output)
{
    private const int LimitMib = 96;
    private const int SpikeMib = 24;
    private const int SpansPerRequest = 32;
    private const int PayloadBytes = 2048;
    private const int ClientsPerProtocol = 6;
    private const int MaxRequests = 2000;

    [Fact]
    public async Task Flood_BackendStuck_RefusesWithRetryableCodesStaysUnderTheLimitAndLosesNothingAccepted()
    {
        int otlpGrpc = HostProcess.FreePort();
        int otlpHttp = HostProcess.FreePort();
        int backendPort = HostProcess.FreePort();
        await using var backend = await OtlpGrpcBackend.StartAsync(backendPort, hold: true);
        using var collector = await StartCollectorAsync(Config(otlpGrpc, otlpHttp, backendPort));
        long idleRss = ReadRssBytes(collector.Id);
        long peakRss = idleRss;
        using var stopSampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stopSampling.IsCancellationRequested)
            {
                peakRss = Math.Max(peakRss, ReadRssBytes(collector.Id));
                await Task.Delay(20);
            }
        });

        var flood = new Flood();
        using (var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{otlpGrpc}"))
        using (var http = new HttpClient())
        {
            var clients = new List<Task>();
            for (int c = 0; c < ClientsPerProtocol; c++)
            {
                clients.Add(Task.Run(() => GrpcClientAsync(channel, flood)));
                clients.Add(Task.Run(() => HttpClientAsync(http, otlpHttp, flood)));
            }

            await Task.WhenAll(clients).WaitAsync(Bound);
        }

        await stopSampling.CancelAsync();
        await sampler;
        string refusals = collector.Stderr;
        backend.Release();
        var acked = flood.Acked.Keys.ToHashSet(StringComparer.Ordinal);
        bool delivered = await PollAsync(() => acked.IsSubsetOf(backend.SpanIds));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"idle RSS {idleRss >> 20} MiB, peak RSS {peakRss >> 20} MiB, requests {flood.Sent}, acked spans {acked.Count}, grpc refusals {flood.GrpcRefused.Count}, http refusals {flood.HttpRefused.Count}"));
        collector.Signal("TERM");
        await collector.WaitForExitAsync(Bound);

        // Refusals: otelcol's memory_limiter error is non-permanent, so gRPC UNAVAILABLE / HTTP 503 without Retry-After
        // (the receiver adds Retry-After only when the error carries a retry hint, and this one does not).
        Assert.NotEmpty(flood.GrpcRefused);
        Assert.NotEmpty(flood.HttpRefused);
        Assert.All(flood.GrpcRefused, r => Assert.Equal((StatusCode.Unavailable, "data refused due to high memory usage"), r));
        Assert.All(flood.HttpRefused, r => Assert.Equal((HttpStatusCode.ServiceUnavailable, false), r));
        Assert.Contains("is above the soft limit", refusals, StringComparison.Ordinal);

        // Nothing accepted is lost: every acknowledged span reaches the backend once it lets calls through.
        Assert.NotEmpty(acked);
        Assert.True(delivered, $"{acked.Count - acked.Intersect(backend.SpanIds).Count()} of {acked.Count} acknowledged spans missing");

        // Memory: the limiter caps the managed heap at limit_mib. The process adds what it had before the flood (runtime,
        // JIT code, Kestrel and gRPC) — idle RSS — and a margin of limit_mib / 2 for what the limiter cannot see:
        // request bodies being read and decoded between two checks (12 clients × ~70 KiB, a few MiB), the GC's
        // allocation budget and freed-but-not-yet-returned segments (workstation GC).
        long bound = idleRss + ((LimitMib + (LimitMib / 2)) * 1024L * 1024);
        Assert.True(peakRss < bound, string.Create(CultureInfo.InvariantCulture, $"peak RSS {peakRss >> 20} MiB, bound {bound >> 20} MiB (idle {idleRss >> 20} MiB)"));
    }

    private static async Task GrpcClientAsync(GrpcChannel channel, Flood flood)
    {
        var client = new TraceService.TraceServiceClient(channel);
        while (flood.Next() is int request)
        {
            try
            {
                await client.ExportAsync(Request(7, request, SpansPerRequest, PayloadBytes), deadline: DateTime.UtcNow + Bound);
                flood.Ack(request);
            }
            catch (RpcException e)
            {
                flood.GrpcRefused.Add((e.StatusCode, e.Status.Detail));
            }
        }
    }

    private static async Task HttpClientAsync(HttpClient http, int port, Flood flood)
    {
        var url = new Uri($"http://127.0.0.1:{port}/v1/traces");
        while (flood.Next() is int request)
        {
            using var body = new ByteArrayContent(Request(7, request, SpansPerRequest, PayloadBytes).ToByteArray());
            body.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
            using var response = await http.PostAsync(url, body);
            if (response.IsSuccessStatusCode)
            {
                flood.Ack(request);
            }
            else
            {
                flood.HttpRefused.Add((response.StatusCode, response.Headers.RetryAfter is not null));
            }
        }
    }

    private static long ReadRssBytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
            // The process exited.
        }

        return 0;
    }

    private static string Config(int grpcPort, int httpPort, int backendPort) => HostProcess.WriteConfig($$"""
        receivers:
          otlp:
            protocols:
              grpc:
                endpoint: 127.0.0.1:{{grpcPort}}
              http:
                endpoint: 127.0.0.1:{{httpPort}}
        processors:
          memory_limiter:
            check_interval: 50ms
            limit_mib: {{LimitMib}}
            spike_limit_mib: {{SpikeMib}}
        exporters:
          otlp_grpc:
            endpoint: 127.0.0.1:{{backendPort}}
            tls:
              insecure: true
            timeout: 50s
            sending_queue:
              queue_size: 100000
        service:
          pipelines:
            traces:
              receivers: [otlp]
              processors: [memory_limiter]
              exporters: [otlp_grpc]
          telemetry:
            metrics:
              level: none
        """);

    /// <summary>Hands out request numbers up to the cap and collects outcomes.</summary>
    private sealed class Flood
    {
        private int _next = -1;

        public ConcurrentDictionary<string, byte> Acked { get; } = new(StringComparer.Ordinal);

        public ConcurrentBag<(StatusCode, string)> GrpcRefused { get; } = [];

        public ConcurrentBag<(HttpStatusCode, bool)> HttpRefused { get; } = [];

        public int Sent => Math.Min(Volatile.Read(ref _next) + 1, MaxRequests);

        public int? Next()
        {
            int n = Interlocked.Increment(ref _next);
            return n < MaxRequests ? n : null;
        }

        public void Ack(int request)
        {
            foreach (var id in SpanIds(7, request, SpansPerRequest))
            {
                Acked.TryAdd(id, 0);
            }
        }
    }
}
