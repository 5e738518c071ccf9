using Pipeline.Receivers.Ebpf.Loader;
using Pipeline.Receivers.Ebpf.Native;
using Xunit;

namespace Pipeline.Receivers.Ebpf.Tests.Loader;

/// <summary>Which program set the receiver attaches, and when it falls back from tracepoints to raw tracepoints.</summary>
public sealed class AttachModesTests
{
    private const string NoTraceFs = "The ebpf receiver needs tracefs and could not mount it (mount -t tracefs tracefs /sys/kernel/tracing failed with errno 1).";

    [Fact]
    public void Choose_AutoWithTraceFs_Tracepoints()
    {
        var mode = AttachModes.Choose("auto", traceFsProblem: null);

        Assert.Equal(AttachMode.Tracepoint, mode);
    }

    [Fact]
    public void Choose_AutoWithoutTraceFs_RawTracepoints()
    {
        var mode = AttachModes.Choose("auto", NoTraceFs);

        Assert.Equal(AttachMode.RawTracepoint, mode);
    }

    [Fact]
    public void Choose_RawTracepointWithTraceFs_RawTracepoints()
    {
        var mode = AttachModes.Choose("raw_tracepoint", traceFsProblem: null);

        Assert.Equal(AttachMode.RawTracepoint, mode);
    }

    [Fact]
    public void Choose_TracepointWithoutTraceFs_ThrowsTheTraceFsProblem()
    {
        var e = Assert.Throws<InvalidOperationException>(() => AttachModes.Choose("tracepoint", NoTraceFs));

        Assert.Equal(NoTraceFs, e.Message);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(13)]
    [InlineData(1)]
    public void ShouldFallBack_AutoAndTracepointAttachFailedOnTraceFs_True(int errno)
    {
        var error = new BpfException("bpf_program__attach(tracepoint/syscalls/sys_enter_read)", -errno);

        Assert.True(AttachModes.ShouldFallBack("auto", AttachMode.Tracepoint, error));
    }

    [Fact]
    public void ShouldFallBack_ExplicitTracepoint_False()
    {
        var error = new BpfException("bpf_program__attach(tracepoint/syscalls/sys_enter_read)", -2);

        Assert.False(AttachModes.ShouldFallBack("tracepoint", AttachMode.Tracepoint, error));
    }

    [Fact]
    public void ShouldFallBack_LoadFailed_False()
    {
        var error = new BpfException("bpf_object__load", -13);

        Assert.False(AttachModes.ShouldFallBack("auto", AttachMode.Tracepoint, error));
    }

    [Fact]
    public void ShouldFallBack_RawAttachFailed_False()
    {
        var error = new BpfException("bpf_program__attach(raw_tracepoint/sys_enter)", -2);

        Assert.False(AttachModes.ShouldFallBack("auto", AttachMode.RawTracepoint, error));
    }

    [Fact]
    public void ShouldFallBack_OtherErrno_False()
    {
        var error = new BpfException("bpf_program__attach(tracepoint/syscalls/sys_enter_read)", -22);

        Assert.False(AttachModes.ShouldFallBack("auto", AttachMode.Tracepoint, error));
    }

    [Theory]
    [InlineData("raw_tracepoint/sys_enter", true)]
    [InlineData("raw_tp/sched_process_fork", true)]
    [InlineData("tracepoint/syscalls/sys_exit_read", false)]
    [InlineData("tracepoint/sock/inet_sock_set_state", false)]
    public void ModeOf_Section_NamesItsSet(string section, bool raw)
    {
        var mode = SocketTracer.ModeOf(section);

        Assert.Equal(raw ? AttachMode.RawTracepoint : AttachMode.Tracepoint, mode);
    }
}
