using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Abstractions;
using Pipeline.Config;
using Pipeline.Telemetry;

namespace Pipeline.Host.Tests.Cli;

/// <summary>The shipped example of the seed case (<c>otlp</c> and <c>ebpf</c> merged into one traces and one metrics
/// pipeline) stays valid: <c>pipeline validate</c> accepts it anywhere (no root needed), and it keeps that shape.</summary>
public sealed class EbpfExampleConfigTests
{
    private static readonly string s_example = Path.Combine(RepoPaths.Root, "config", "examples", "otlp-and-ebpf.yaml");

    [Fact]
    public async Task Validate_EbpfExample_Exits0()
    {
        var (code, _, stderr) = await HostProcess.RunAsync(TimeSpan.FromSeconds(60), "validate", "--config", s_example);

        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("Error:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EbpfExample_MergesOtlpAndEbpfInOneTracesAndOneMetricsPipeline()
    {
        var config = ConfigLoader.Load([s_example], [], Components.Create(), _ => null, NullLogger.Instance);

        var otlp = new ComponentId("otlp");
        var ebpf = new ComponentId("ebpf");
        var traces = Assert.Single(config.Service.Pipelines, p => p.Key.Signal == Signal.Traces).Value;
        var metrics = Assert.Single(config.Service.Pipelines, p => p.Key.Signal == Signal.Metrics).Value;
        Assert.Equal([otlp, ebpf], traces.Receivers);
        Assert.Equal([otlp, ebpf], metrics.Receivers);
    }
}
