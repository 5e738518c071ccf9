using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Grpc.Net.Client;
using OpenTelemetry.Proto.Collector.Trace.V1;
using Pipeline.Host.Tests.Cli;

namespace Pipeline.Host.Tests.SelfTelemetry;

/// <summary>
/// A real Prometheus (Debian's <c>prometheus</c> package, installed by scripts/install-deps.sh) scrapes the collector's
/// <c>/metrics</c> every second: the target must be up (our exposition parses in Prometheus itself) and the queried
/// counters must equal what was sent. Skipped when the binary is missing, except under CI where that is a failure.
/// </summary>
public sealed class PrometheusScrapeTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    [SkippableFact]
    public async Task RealPrometheus_ScrapesMetrics_TargetUpAndCountersEqualWhatWasSent()
    {
        string? binary = FindPrometheus();
        if (binary is null)
        {
            const string reason = "The prometheus binary is not installed (apt-get install prometheus; scripts/install-deps.sh does it).";
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            {
                Assert.Fail(reason + " CI is set, so this is a failure rather than a skip.");
            }

            Skip.If(true, reason);
        }

        using var collector = await SelfMetricsCollector.StartAsync();
        using var prometheus = PrometheusServer.Start(binary!, collector.MetricsPort);
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{collector.GrpcPort}");
        var client = new TraceService.TraceServiceClient(channel);

        await client.ExportAsync(SelfMetricsCollector.Spans("p1", "p2", "drop-me"));
        await client.ExportAsync(SelfMetricsCollector.Spans("p3", "p4"));
        double? up = await prometheus.WaitForValueAsync("up{job=\"pipeline\"}", 1);
        double? accepted = await prometheus.WaitForValueAsync("otelcol_receiver_accepted_spans{receiver=\"otlp\",transport=\"grpc\"}", 5);
        double? sent = await prometheus.WaitForValueAsync("otelcol_exporter_sent_spans{exporter=\"file/traces\"}", 4);
        double? filtered = await prometheus.WaitForValueAsync("otelcol_processor_filter_spans_filtered{filter=\"filter/drop\"}", 1);
        double? outgoing = await prometheus.WaitForValueAsync("otelcol_processor_outgoing_items{processor=\"filter/drop\",otel_signal=\"traces\"}", 4);
        string targetError = await prometheus.TargetLastErrorAsync();

        Assert.True(up == 1, $"up = {up}; last scrape error: {targetError}\nprometheus:\n{prometheus.Output}");
        Assert.Equal(string.Empty, targetError);
        Assert.Equal(5, accepted);
        Assert.Equal(4, sent);
        Assert.Equal(1, filtered);
        Assert.Equal(4, outgoing);
    }

    private static string? FindPrometheus()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string path = Path.Combine(dir, "prometheus");
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    /// <summary>prometheus started with a generated config, a temporary TSDB and a free loopback port.</summary>
    private sealed class PrometheusServer : IDisposable
    {
        private readonly Process _process;
        private readonly string _directory;
        private readonly StringBuilder _output = new();
        private readonly HttpClient _http = new();

        private PrometheusServer(Process process, string directory, int port)
        {
            _process = process;
            _directory = directory;
            _http.BaseAddress = new Uri($"http://127.0.0.1:{port}");
        }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public static PrometheusServer Start(string binary, int metricsPort)
        {
            string directory = Path.Combine(Path.GetTempPath(), "pipeline-prometheus-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
            string config = Path.Combine(directory, "prometheus.yml");
            File.WriteAllText(config, $"""
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: pipeline
                    static_configs:
                      - targets: ["127.0.0.1:{metricsPort}"]
                """);
            int port = HostProcess.FreePort();
            var info = new ProcessStartInfo(binary)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = directory,
            };
            info.ArgumentList.Add("--config.file=" + config);
            info.ArgumentList.Add("--storage.tsdb.path=" + Path.Combine(directory, "data"));
            info.ArgumentList.Add("--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture));
            var process = new Process { StartInfo = info };
            var server = new PrometheusServer(process, directory, port);
            process.OutputDataReceived += (_, e) => server.Append(e.Data);
            process.ErrorDataReceived += (_, e) => server.Append(e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return server;
        }

        /// <summary>Queries until the instant vector's single value equals <paramref name="expected"/>; returns the last value seen.</summary>
        public async Task<double?> WaitForValueAsync(string query, double expected)
        {
            var deadline = DateTime.UtcNow + Bound;
            double? last = null;
            while (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                last = await QueryAsync(query) ?? last;
                if (last == expected)
                {
                    return last;
                }

                await Task.Delay(200);
            }

            return last;
        }

        /// <summary>The pipeline target's lastError from /api/v1/targets ("" when the last scrape succeeded).</summary>
        public async Task<string> TargetLastErrorAsync()
        {
            using var document = JsonDocument.Parse(await _http.GetStringAsync(new Uri("/api/v1/targets", UriKind.Relative)));
            foreach (var target in document.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray())
            {
                if (target.GetProperty("labels").GetProperty("job").GetString() == "pipeline")
                {
                    return target.GetProperty("lastError").GetString() ?? string.Empty;
                }
            }

            return "no pipeline target";
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }

            _process.Dispose();
            _http.Dispose();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: the TSDB may still be closing.
            }
        }

        private async Task<double?> QueryAsync(string query)
        {
            try
            {
                string json = await _http.GetStringAsync(new Uri("/api/v1/query?query=" + Uri.EscapeDataString(query), UriKind.Relative));
                using var document = JsonDocument.Parse(json);
                var result = document.RootElement.GetProperty("data").GetProperty("result");
                if (result.GetArrayLength() != 1)
                {
                    return null;
                }

                string value = result[0].GetProperty("value")[1].GetString()!;
                return double.Parse(value, CultureInfo.InvariantCulture);
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
                return null;
            }
        }

        private void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_output)
            {
                _output.Append(line).Append('\n');
            }
        }
    }
}
