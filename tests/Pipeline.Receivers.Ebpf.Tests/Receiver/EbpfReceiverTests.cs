using Pipeline.Abstractions;
using Pipeline.Receivers.Ebpf.Discovery;
using Pipeline.Receivers.Ebpf.Loader;
using Pipeline.Receivers.Ebpf.Tests.Kernel;
using Pipeline.Telemetry;
using Pipeline.Testing;
using Xunit;

namespace Pipeline.Receivers.Ebpf.Tests.Receiver;

[Collection(KernelCollection.Name)]
public sealed class EbpfReceiverTests
{
    [Fact]
    public void Factory_BothSignals_ShareOneInstance()
    {
        var factory = new EbpfReceiverFactory();
        var settings = TestSettings.For(ComponentKind.Receiver, "ebpf");
        var config = factory.CreateDefaultConfig();

        var traces = factory.CreateReceiver(settings, config, new SinkConsumer<Traces>());
        var metrics = factory.CreateReceiver(settings, config, new SinkConsumer<Metrics>());
        var other = factory.CreateReceiver(TestSettings.For(ComponentKind.Receiver, "ebpf/2"), config, new SinkConsumer<Traces>());

        Assert.Equal("ebpf", factory.Type);
        Assert.Equal([Signal.Traces, Signal.Metrics], factory.Stability.Keys);
        Assert.Same(traces, metrics);
        Assert.NotSame(traces, other);
    }

    [Fact]
    public async Task Shutdown_WithoutStart_Completes()
    {
        var receiver = new EbpfReceiver(TestSettings.For(ComponentKind.Receiver, "ebpf"), Config(1));

        await receiver.ShutdownAsync(CancellationToken.None);

        Assert.Null(receiver.Tracer);
    }

    [SkippableFact]
    public async Task Start_MissingBtf_FailsWithOneSentence()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && Environment.UserName == "root", "needs root on Linux to reach the BTF check");
        var receiver = new EbpfReceiver(TestSettings.For(ComponentKind.Receiver, "ebpf"), Config(1))
        {
            Probe = new FeatureProbe { BtfPath = "/nonexistent/vmlinux" },
        };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => receiver.StartAsync(NopHost.Instance, CancellationToken.None));

        Assert.Equal("The ebpf receiver needs kernel BTF at /nonexistent/vmlinux (a kernel built with CONFIG_DEBUG_INFO_BTF=y).", error.Message);
        await receiver.ShutdownAsync(CancellationToken.None);
    }

    [SkippableFact]
    public async Task StartShutdown_PythonServer_TracesItThenFreesEveryKernelObject()
    {
        BpfRequirement.Ensure();
        string python = BpfRequirement.RequireProgram("python3");
        int port = ServerProcess.FreePort();
        using var server = ServerProcess.Start(python, ["-m", "http.server", port.ToString(), "--bind", "127.0.0.1"], port);
        int before = BpfFds.Count();
        var receiver = new EbpfReceiver(TestSettings.For(ComponentKind.Receiver, "ebpf"), Config(port));

        await receiver.StartAsync(NopHost.Instance, CancellationToken.None);
        bool traced = receiver.Tracer!.HasPid(server.Pid);
        await receiver.ShutdownAsync(CancellationToken.None);

        Assert.True(traced, "discovery put the server in the kernel pid filter at start");
        Assert.Equal(1, receiver.Stats.TracedProcesses);
        Assert.Equal(before, BpfFds.Count());
    }

    internal static EbpfReceiverConfig Config(int port) => new()
    {
        Discovery = new DiscoveryConfig { Instrument = [new ProcessSelector { OpenPorts = port.ToString() }], PollInterval = TimeSpan.FromMilliseconds(200) },
        Ebpf = new EbpfTuningConfig { BatchTimeout = TimeSpan.FromMilliseconds(200), MetricsInterval = TimeSpan.FromMilliseconds(500), RingbufSize = 1 << 22 },
    };
}
