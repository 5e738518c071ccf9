using Pipeline.Receivers.Ebpf.Loader;
using Xunit;

namespace Pipeline.Receivers.Ebpf.Tests.Loader;

public sealed class FeatureProbeTests
{
    [SkippableFact]
    public void FindMissing_NoBtf_NamesTheBtfPath()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && Environment.UserName == "root", "needs root on Linux to get past the privilege check");
        var probe = new FeatureProbe { BtfPath = "/nonexistent/btf/vmlinux" };

        string? missing = probe.FindMissing();

        Assert.Equal("The ebpf receiver needs kernel BTF at /nonexistent/btf/vmlinux (a kernel built with CONFIG_DEBUG_INFO_BTF=y).", missing);
    }

    [SkippableFact]
    public void FindMissing_NoCapabilities_NamesThem()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "Linux only");
        string status = Path.GetTempFileName();
        File.WriteAllText(status, "Name:\tx\nCapEff:\t0000000000000000\n");
        var probe = new FeatureProbe { StatusPath = status };

        string? missing = probe.FindMissing();

        File.Delete(status);
        Assert.Equal("The ebpf receiver needs root or the CAP_BPF and CAP_PERFMON capabilities (e.g. sudo, or setcap cap_bpf,cap_perfmon+ep on the executable).", missing);
    }

    [SkippableFact]
    public void FindMissing_BpfAndPerfmonCapabilities_AreEnough()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && File.Exists("/sys/kernel/btf/vmlinux"), "needs Linux with BTF");
        string status = Path.GetTempFileName();
        File.WriteAllText(status, "CapEff:\t000000c000000000\n");
        var probe = new FeatureProbe { StatusPath = status, LockdownPath = "/nonexistent" };

        string? missing = probe.FindMissing();

        File.Delete(status);
        Assert.True(missing is null || missing.Contains("libbpf", StringComparison.Ordinal), missing);
    }

    [SkippableFact]
    public void FindMissing_LockdownConfidentiality_IsRefused()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && Environment.UserName == "root" && File.Exists("/sys/kernel/btf/vmlinux"), "needs root on Linux with BTF");
        string lockdown = Path.GetTempFileName();
        File.WriteAllText(lockdown, "none integrity [confidentiality]\n");
        var probe = new FeatureProbe { LockdownPath = lockdown };

        string? missing = probe.FindMissing();

        File.Delete(lockdown);
        Assert.Equal("The ebpf receiver cannot read kernel or process memory under kernel lockdown (" + lockdown + " is [confidentiality]).", missing);
    }

    [SkippableFact]
    public void FindMissing_NoLibbpf_NamesThePackage()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && Environment.UserName == "root" && File.Exists("/sys/kernel/btf/vmlinux"), "needs root on Linux with BTF");
        var probe = new FeatureProbe { LibraryName = "libbpf-missing.so.9", LockdownPath = "/nonexistent" };

        string? missing = probe.FindMissing();

        Assert.Equal("The ebpf receiver needs libbpf-missing.so.9 (apt-get install -y libbpf1).", missing);
    }

    [SkippableFact]
    public void FindMissing_KernelWithoutTheRegisterHelpers_NamesThemAndTheKernel()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && Environment.UserName == "root" && File.Exists("/sys/kernel/btf/vmlinux"), "needs root on Linux with BTF");
        var probe = new FeatureProbe { LockdownPath = "/nonexistent", SyscallRegsHelpersAvailable = () => false };

        string? missing = probe.FindMissing();

        Assert.Equal("The ebpf receiver needs tracepoint programs to call bpf_task_pt_regs and bpf_get_current_task_btf (Linux 5.15 or newer); this kernel is " + Environment.OSVersion.Version + ".", missing);
    }

    [SkippableFact]
    public void FindMissing_ThisKernel_HasTheRegisterHelpers()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && Environment.UserName == "root" && File.Exists("/sys/kernel/btf/vmlinux"), "needs root on Linux with BTF");
        var probe = new FeatureProbe { LockdownPath = "/nonexistent" };

        Assert.Null(probe.FindMissing());
    }
}
