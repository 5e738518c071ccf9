using Grpc.Core;
using Grpc.Net.Client;
using Pipeline.Host.Tests.Cli;
using static Pipeline.Host.Tests.Durability.DurabilityTestKit;

namespace Pipeline.Host.Tests.Durability;

/// <summary>
/// The persistent sending queue with the real collector process: otlp (gRPC) → batch → otlp_grpc with
/// <c>sending_queue.storage: file_storage/q</c>, a real gRPC client that counts only acknowledged spans, SIGKILL and
/// SIGTERM, and an in-test OTLP backend that is down (nothing listens on its port) until the test starts it. Every
/// acknowledged span must reach the backend at least once (counted by span ID). The otelcol gaps tested: #12711 (data
/// held by the batch processor lost on crash), #15677 (shutdown with the backend down drains/deletes the queue),
/// #15324 (backlog lost after a restart), and an outage longer than <c>max_elapsed_time</c>.
/// </summary>
public sealed class PersistentQueueCrashTests : IDisposable
{
    private const string StoreFile = "exporter_otlp_grpc__traces";
    private const int Sigkilled = 128 + 9;
    private readonly string _storage = Path.Combine(Path.GetTempPath(), "pipeline-pq-" + Guid.NewGuid().ToString("N"));
    private readonly int _otlpPort = HostProcess.FreePort();
    private readonly int _backendPort = HostProcess.FreePort();
    private readonly int _metricsPort = HostProcess.FreePort();

    public void Dispose()
    {
        if (Directory.Exists(_storage))
        {
            Directory.Delete(_storage, recursive: true);
        }
    }

    [Fact]
    public async Task Sigkill_BackendDown_EveryAcknowledgedSpanArrivesAfterRestart()
    {
        string config = Config(batch: "timeout: 20ms", maxElapsedTime: "0s");
        HashSet<string> acked;
        List<StatusCode> refused;
        int exit;
        using (var first = await StartCollectorAsync(config))
        {
            (acked, refused) = await SendAsync(_otlpPort, run: 1, requests: 40, perRequest: 5);
            first.Signal("KILL");
            exit = await first.WaitForExitAsync(Bound);
        }

        await using var backend = await OtlpGrpcBackend.StartAsync(_backendPort);
        using var second = await StartCollectorAsync(config);
        bool delivered = await PollAsync(() => acked.IsSubsetOf(backend.SpanIds));

        Assert.Equal(Sigkilled, exit);
        Assert.Empty(refused);
        Assert.Equal(200, acked.Count);
        Assert.True(delivered, $"{acked.Count - acked.Intersect(backend.SpanIds).Count()} acknowledged spans missing.\n{second.Stderr}");
        Assert.Contains("Persistent sending queue restored requests left by the previous run.", second.Stderr, StringComparison.Ordinal);

        // Nothing was in flight to the backend when the process died (it was down), so nothing may arrive twice.
        Assert.Equal(backend.SpanIds.Count, backend.SpansWithDuplicates);
    }

    [Fact]
    public async Task Sigkill_DataHeldByBatch_WasNeverAcknowledgedAndEverythingAcknowledgedArrives()
    {
        // send_batch_size 50, timeout 1h: 100 spans form two full batches (written to the queue, then acknowledged);
        // 30 more stay in the batch processor, and their callers must still be waiting when the process dies (#12711).
        string config = Config(batch: "timeout: 1h\n    send_batch_size: 50", maxElapsedTime: "0s");
        HashSet<string> acked;
        List<StatusCode> heldOutcome;
        bool heldAnsweredBeforeKill;
        int exit;
        using (var first = await StartCollectorAsync(config))
        {
            (acked, _) = await SendAsync(_otlpPort, run: 2, requests: 10, perRequest: 10);
            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{_otlpPort}");
            var held = Start(channel, run: 3, firstRequest: 0, requests: 3, perRequest: 10);
            bool holding = await PollAsync(async () => Sum(await ScrapeAsync(_metricsPort), "otelcol_processor_incoming_items") >= 130);
            Assert.True(holding, first.Stderr);
            heldAnsweredBeforeKill = held.Exists(t => t.IsCompleted);
            first.Signal("KILL");
            exit = await first.WaitForExitAsync(Bound);
            (var heldAcked, heldOutcome) = await CollectAsync(held, run: 3, perRequest: 10);
            Assert.Empty(heldAcked);
        }

        await using var backend = await OtlpGrpcBackend.StartAsync(_backendPort);
        using var second = await StartCollectorAsync(config);
        bool delivered = await PollAsync(() => acked.IsSubsetOf(backend.SpanIds));

        Assert.Equal(Sigkilled, exit);
        Assert.False(heldAnsweredBeforeKill);
        Assert.Equal(3, heldOutcome.Count);
        Assert.All(heldOutcome, code => Assert.Equal(StatusCode.Unavailable, code));
        Assert.Equal(100, acked.Count);
        Assert.True(delivered, second.Stderr);
    }

    [Fact]
    public async Task Sigterm_BackendDown_KeepsTheQueueOnDiskAndTheNextStartDeliversIt()
    {
        string config = Config(batch: "timeout: 20ms", maxElapsedTime: "0s");
        HashSet<string> acked;
        int exit;
        string firstStderr;
        using (var first = await StartCollectorAsync(config))
        {
            (acked, _) = await SendAsync(_otlpPort, run: 4, requests: 10, perRequest: 5);
            Assert.True(await first.WaitForStderrAsync("Will retry the request after interval", Bound), first.Stderr);
            first.Signal("TERM");
            exit = await first.WaitForExitAsync(Bound);
            firstStderr = first.Stderr;
        }

        long storedBytes = new FileInfo(Path.Combine(_storage, StoreFile)).Length;
        await using var backend = await OtlpGrpcBackend.StartAsync(_backendPort);
        using var second = await StartCollectorAsync(config);
        bool delivered = await PollAsync(() => acked.IsSubsetOf(backend.SpanIds));
        bool drained = await PollAsync(() => new FileInfo(Path.Combine(_storage, StoreFile)).Length == 0);

        Assert.Equal(0, exit);
        Assert.Equal(50, acked.Count);
        Assert.Contains("Persistent sending queue keeps unsent requests for the next start.", firstStderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Dropping data", firstStderr, StringComparison.Ordinal);
        Assert.True(storedBytes > 0);
        Assert.True(delivered, second.Stderr);
        Assert.True(drained);
    }

    [Fact]
    public async Task Restart_BackendStillDown_BacklogIsRetriedAndDeliveredWhenTheBackendComesUp()
    {
        string config = Config(batch: "timeout: 20ms", maxElapsedTime: "0s");
        HashSet<string> acked;
        using (var first = await StartCollectorAsync(config))
        {
            (acked, _) = await SendAsync(_otlpPort, run: 5, requests: 10, perRequest: 5);
            first.Signal("TERM");
            Assert.Equal(0, await first.WaitForExitAsync(Bound));
        }

        using var second = await StartCollectorAsync(config);
        bool restored = second.Stderr.Contains("Persistent sending queue restored requests left by the previous run.", StringComparison.Ordinal);
        bool retriedAfterRestart = await second.WaitForStderrAsync("Will retry the request after interval", Bound);
        await using var backend = await OtlpGrpcBackend.StartAsync(_backendPort);
        bool delivered = await PollAsync(() => acked.IsSubsetOf(backend.SpanIds));
        second.Signal("TERM");
        int exit = await second.WaitForExitAsync(Bound);

        Assert.Equal(50, acked.Count);
        Assert.True(restored, second.Stderr);
        Assert.True(retriedAfterRestart, second.Stderr);
        Assert.True(delivered, second.Stderr);
        Assert.Equal(0, exit);
    }

    [Fact]
    public async Task OutageLongerThanMaxElapsedTime_NothingIsDroppedAndFailuresAreCountedAndLogged()
    {
        string config = Config(batch: "timeout: 20ms", maxElapsedTime: "1s");
        using var collector = await StartCollectorAsync(config);
        var (acked, _) = await SendAsync(_otlpPort, run: 6, requests: 10, perRequest: 5);

        bool exhausted = await collector.WaitForStderrAsync("Retries exhausted; keeping the request in the persistent queue to retry later.", Bound);
        double sendFailed = Sum(await ScrapeAsync(_metricsPort), "otelcol_exporter_send_failed_spans");
        await using var backend = await OtlpGrpcBackend.StartAsync(_backendPort);
        bool delivered = await PollAsync(() => acked.IsSubsetOf(backend.SpanIds));
        double sent = 0;
        bool counted = await PollAsync(async () => (sent = Sum(await ScrapeAsync(_metricsPort), "otelcol_exporter_sent_spans")) >= 50);
        collector.Signal("TERM");
        int exit = await collector.WaitForExitAsync(Bound);

        Assert.Equal(50, acked.Count);
        Assert.True(exhausted, collector.Stderr);
        Assert.True(sendFailed >= 5, $"otelcol_exporter_send_failed_spans was {sendFailed}");
        Assert.True(delivered, collector.Stderr);
        Assert.True(counted, $"otelcol_exporter_sent_spans was {sent}");
        Assert.DoesNotContain("Dropping data", collector.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, exit);
    }

    private string Config(string batch, string maxElapsedTime) => HostProcess.WriteConfig($$"""
        extensions:
          file_storage/q:
            directory: {{_storage}}
            create_directory: true
        receivers:
          otlp:
            protocols:
              grpc:
                endpoint: 127.0.0.1:{{_otlpPort}}
        processors:
          batch:
            {{batch}}
        exporters:
          otlp_grpc:
            endpoint: 127.0.0.1:{{_backendPort}}
            tls:
              insecure: true
            timeout: 2s
            retry_on_failure:
              initial_interval: 100ms
              max_interval: 200ms
              max_elapsed_time: {{maxElapsedTime}}
            sending_queue:
              storage: file_storage/q
        service:
          extensions: [file_storage/q]
          pipelines:
            traces:
              receivers: [otlp]
              processors: [batch]
              exporters: [otlp_grpc]
          telemetry:
            metrics:
              readers:
                - pull:
                    exporter:
                      prometheus:
                        host: 127.0.0.1
                        port: {{_metricsPort}}
        """);
}
