using System.Net;
using System.Net.Sockets;

namespace Pipeline.Host.Tests.Cli;

/// <summary>Runs the built collector as a process, as users do.</summary>
public sealed class CliProcessTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Version_PrintsNameAndVersion()
    {
        var (code, stdout, _) = await HostProcess.RunAsync(Bound, "--version");

        Assert.Equal(0, code);
        Assert.Equal("pipeline version 0.1.0\n", stdout);
    }

    [Fact]
    public async Task Components_PrintsBuildInfoAndComponents()
    {
        var (code, stdout, _) = await HostProcess.RunAsync(Bound, "components");

        Assert.Equal(0, code);
        Assert.StartsWith("buildinfo:\n    command: pipeline\n", stdout, StringComparison.Ordinal);
        Assert.Contains("    - name: debug\n", stdout, StringComparison.Ordinal);
        Assert.Contains("    - name: nop\n", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownFlag_Exits1WithError()
    {
        var (code, _, stderr) = await HostProcess.RunAsync(Bound, "--frobnicate");

        Assert.Equal(1, code);
        Assert.Equal("Error: unknown flag: --frobnicate\n", stderr);
    }

    [Fact]
    public async Task Validate_WithoutConfig_Exits1()
    {
        var (code, _, stderr) = await HostProcess.RunAsync(Bound, "validate");

        Assert.Equal(1, code);
        Assert.Equal("Error: at least one config flag must be provided\n", stderr);
    }

    [Fact]
    public async Task Validate_GoodConfig_Exits0WithoutBindingItsPort()
    {
        int port = HostProcess.FreePort();
        using var holder = new TcpListener(IPAddress.Loopback, port);
        holder.Start();
        string path = HostProcess.WriteConfig(Configs.OtlpToNop(port));

        var (code, _, stderr) = await HostProcess.RunAsync(Bound, "validate", "--config", path);

        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("Error:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_BadConfig_Exits1WithOneErrorLinePerProblem()
    {
        string path = HostProcess.WriteConfig(Configs.OtlpToNop(HostProcess.FreePort()).Replace("  nop:\n", "  nop:\n  debug:\n    verbosity: loud\n    sampling_initial: -1\n", StringComparison.Ordinal));

        var (code, _, stderr) = await HostProcess.RunAsync(Bound, "validate", "--config", path);

        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("Error: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(1, code);
        Assert.Equal(2, lines.Count);
        Assert.StartsWith("Error: exporters::debug::verbosity: unsupported value \"loud\": must be one of basic, normal, detailed.", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("Error: exporters::debug::sampling_initial: ", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_BrokenConfig_Exits1BeforeBindingThePort()
    {
        int port = HostProcess.FreePort();

        // Hold the port: a collector that bound before validating would fail with "cannot start pipelines" instead.
        using var holder = new TcpListener(IPAddress.Loopback, port);
        holder.Start();
        string path = HostProcess.WriteConfig(Configs.OtlpToNop(port).Replace("exporters: [nop]", "exporters: [nop, missing]", StringComparison.Ordinal));

        var (code, _, stderr) = await HostProcess.RunAsync(Bound, "--config", path);

        Assert.Equal(1, code);
        Assert.Contains("Error: service::pipelines::traces: references exporter \"missing\" which is not configured", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("cannot start pipelines", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Everything is ready", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_PortAlreadyInUse_Exits1WithCannotStartPipelines()
    {
        int port = HostProcess.FreePort();
        using var holder = new TcpListener(IPAddress.Loopback, port);
        holder.Start();
        string path = HostProcess.WriteConfig(Configs.OtlpToNop(port));

        var (code, _, stderr) = await HostProcess.RunAsync(Bound, "--config", path);

        Assert.Equal(1, code);
        Assert.Contains("Error: cannot start pipelines: failed to start \"otlp\" receiver: ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Sigterm_ShutsDownAndExits0()
    {
        int port = HostProcess.FreePort();
        string path = HostProcess.WriteConfig(Configs.OtlpToNop(port));
        using var host = HostProcess.Start("--config", path);
        Assert.True(await host.WaitForStderrAsync("Everything is ready. Begin running and processing data.", Bound), host.Stderr);

        host.Signal("TERM");
        int code = await host.WaitForExitAsync(Bound);

        Assert.Equal(0, code);
        Assert.Contains("Shutdown complete.", host.Stderr, StringComparison.Ordinal);
    }
}
