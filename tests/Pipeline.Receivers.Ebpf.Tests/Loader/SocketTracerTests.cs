using Pipeline.Receivers.Ebpf.Loader;
using Pipeline.Receivers.Ebpf.Tests.Kernel;
using Xunit;

namespace Pipeline.Receivers.Ebpf.Tests.Loader;

[Collection(KernelCollection.Name)]
public sealed class SocketTracerTests
{
    private static readonly TracerOptions s_options = new((uint)Environment.ProcessId, 4096, 1 << 20, 0);

    [SkippableFact]
    public void Load_AttachesEveryHook()
    {
        BpfRequirement.Ensure();

        using var tracer = SocketTracer.Load(s_options);

        Assert.Equal(
            ["enter_close",
             "exit_accept", "exit_accept4", "exit_connect", "exit_read", "exit_readv", "exit_recvfrom", "exit_recvmsg", "exit_sendfile", "exit_sendmsg", "exit_sendto", "exit_write", "exit_writev",
             "proc_exec", "proc_exit", "proc_fork", "sock_state"],
            tracer.AttachedPrograms.Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public void Dispose_AfterLoadAndRingBuffer_LeavesNoBpfFds()
    {
        BpfRequirement.Ensure();
        int before = BpfFds.Count();

        var tracer = SocketTracer.Load(s_options);
        var channel = System.Threading.Channels.Channel.CreateBounded<Pipeline.Receivers.Ebpf.Tracking.SocketEvent>(16);
        var reader = new RingBufferReader(tracer.EventsFd, channel.Writer, null);
        reader.Start();
        int during = BpfFds.Count();
        reader.Dispose();
        tracer.Dispose();

        Assert.True(during > before + 27, "expected programs, maps and links while loaded, saw " + (during - before));
        Assert.Equal(before, BpfFds.Count());
    }

    [SkippableFact]
    public void Load_RawTracepointMode_AttachesOnlyTheRawSet()
    {
        BpfRequirement.Ensure();

        using var tracer = SocketTracer.Load(s_options with { Mode = AttachMode.RawTracepoint });

        Assert.Equal(AttachMode.RawTracepoint, tracer.Mode);
        Assert.Equal(
            ["raw_proc_exec", "raw_proc_exit", "raw_proc_fork", "raw_sock_state", "raw_sys_enter", "raw_sys_exit"],
            tracer.AttachedPrograms.Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public void Dispose_RawTracepointMode_LeavesNoBpfFds()
    {
        BpfRequirement.Ensure();
        int before = BpfFds.Count();

        var tracer = SocketTracer.Load(s_options with { Mode = AttachMode.RawTracepoint });
        int during = BpfFds.Count();
        tracer.Dispose();

        Assert.True(during > before + 6, "expected programs, maps and links while loaded, saw " + (during - before));
        Assert.Equal(before, BpfFds.Count());
    }

    [SkippableFact]
    public void SetExcludedPorts_AddThenShrink_KeepsTheKernelSetEqual()
    {
        BpfRequirement.Ensure();
        using var tracer = SocketTracer.Load(s_options);

        bool first = tracer.SetExcludedPorts(new HashSet<ushort> { 4317, 4318 });
        bool same = tracer.SetExcludedPorts(new HashSet<ushort> { 4318, 4317 });
        bool shrunk = tracer.SetExcludedPorts(new HashSet<ushort> { 4318 });

        Assert.True(first);
        Assert.False(same);
        Assert.True(shrunk);
        Assert.Equal([(ushort)4318], tracer.ExcludedPorts);
        Assert.Equal([4318u], tracer.ExcludedPortsInKernel());
    }

    [SkippableFact]
    public void PidFilter_AddRemove_RoundTrips()
    {
        BpfRequirement.Ensure();
        using var tracer = SocketTracer.Load(s_options);

        tracer.AddPid(4242);
        bool added = tracer.HasPid(4242);
        bool removed = tracer.RemovePid(4242);

        Assert.True(added);
        Assert.True(removed);
        Assert.False(tracer.HasPid(4242));
        Assert.Empty(tracer.TracedPids());
    }
}
