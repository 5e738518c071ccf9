using System.Globalization;
using System.Runtime.InteropServices;
using Pipeline.Receivers.Ebpf.Interop;

namespace Pipeline.Receivers.Ebpf.Loader;

/// <summary>Checks, at start and never during config binding, that this machine can load our BPF programs. Each
/// failure is one sentence naming what is missing. Paths are parameters so tests can simulate missing features.</summary>
internal sealed class FeatureProbe
{
    private const int CapSysAdmin = 21;
    private const int CapPerfmon = 38;
    private const int CapBpf = 39;

    /// <summary>Kernel BTF, needed for CO-RE relocation.</summary>
    public string BtfPath { get; init; } = "/sys/kernel/btf/vmlinux";

    /// <summary>The kernel lockdown state.</summary>
    public string LockdownPath { get; init; } = "/sys/kernel/security/lockdown";

    /// <summary>This process's status (capabilities).</summary>
    public string StatusPath { get; init; } = "/proc/self/status";

    /// <summary>The libbpf shared library.</summary>
    public string LibraryName { get; init; } = Libbpf.Library;

    /// <summary>Whether tracepoint programs may call <c>bpf_task_pt_regs</c> and <c>bpf_get_current_task_btf</c>
    /// (the data programs read the syscall's arguments at its exit from the saved registers): false only when the
    /// kernel says no; true when it cannot tell (the load then reports the verifier's message).</summary>
    public Func<bool> SyscallRegsHelpersAvailable { get; init; } = ProbeSyscallRegsHelpers;

    /// <summary>Returns null when everything needed is present, else the sentence naming what is missing.</summary>
    public string? FindMissing()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "The ebpf receiver runs only on Linux; this is " + RuntimeInformation.OSDescription + ".";
        }

        if (!HasPrivileges())
        {
            return "The ebpf receiver needs root or the CAP_BPF and CAP_PERFMON capabilities (e.g. sudo, or setcap cap_bpf,cap_perfmon+ep on the executable).";
        }

        if (!File.Exists(BtfPath))
        {
            return "The ebpf receiver needs kernel BTF at " + BtfPath + " (a kernel built with CONFIG_DEBUG_INFO_BTF=y).";
        }

        string? lockdown = ReadLockdown();
        if (lockdown == "confidentiality")
        {
            return "The ebpf receiver cannot read kernel or process memory under kernel lockdown (" + LockdownPath + " is [confidentiality]).";
        }

        if (!NativeLibrary.TryLoad(LibraryName, out nint library))
        {
            return "The ebpf receiver needs " + LibraryName + " (apt-get install -y libbpf1).";
        }

        NativeLibrary.Free(library);
        if (!SyscallRegsHelpersAvailable())
        {
            return "The ebpf receiver needs tracepoint programs to call bpf_task_pt_regs and bpf_get_current_task_btf (Linux 5.15 or newer); this kernel is " + Environment.OSVersion.Version + ".";
        }

        return null;
    }

    private static bool ProbeSyscallRegsHelpers() =>
        Libbpf.LibbpfProbeBpfHelper(Libbpf.ProgTypeTracepoint, Libbpf.FuncTaskPtRegs, 0) != 0
        && Libbpf.LibbpfProbeBpfHelper(Libbpf.ProgTypeTracepoint, Libbpf.FuncGetCurrentTaskBtf, 0) != 0;

    private bool HasPrivileges()
    {
        if (LibC.Geteuid() == 0 && StatusPath == "/proc/self/status")
        {
            return true;
        }

        // CapEff is a hex bit mask; CAP_SYS_ADMIN covers both BPF and perf events on older kernels.
        ulong effective = 0;
        try
        {
            foreach (string line in File.ReadLines(StatusPath))
            {
                if (line.StartsWith("CapEff:", StringComparison.Ordinal))
                {
                    effective = ulong.Parse(line.AsSpan(7).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    break;
                }
            }
        }
        catch (IOException)
        {
            return false;
        }
        catch (FormatException)
        {
            return false;
        }

        bool sysAdmin = (effective & (1UL << CapSysAdmin)) != 0;
        bool bpf = (effective & (1UL << CapBpf)) != 0 && (effective & (1UL << CapPerfmon)) != 0;
        return sysAdmin || bpf;
    }

    /// <summary>The selected lockdown mode (the bracketed word), or null when the file is absent.</summary>
    private string? ReadLockdown()
    {
        try
        {
            string text = File.ReadAllText(LockdownPath);
            int open = text.IndexOf('[', StringComparison.Ordinal);
            int close = text.IndexOf(']', StringComparison.Ordinal);
            return open >= 0 && close > open ? text[(open + 1)..close] : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
