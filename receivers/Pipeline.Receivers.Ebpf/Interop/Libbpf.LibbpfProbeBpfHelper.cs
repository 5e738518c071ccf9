using System.Runtime.InteropServices;

namespace Pipeline.Receivers.Ebpf.Interop;

internal static partial class Libbpf
{
    /// <summary><c>BPF_PROG_TYPE_TRACEPOINT</c>.</summary>
    internal const int ProgTypeTracepoint = 5;

    /// <summary><c>BPF_FUNC_get_current_task_btf</c>.</summary>
    internal const int FuncGetCurrentTaskBtf = 158;

    /// <summary><c>BPF_FUNC_task_pt_regs</c>.</summary>
    internal const int FuncTaskPtRegs = 175;

    /// <summary><c>int libbpf_probe_bpf_helper(enum bpf_prog_type, enum bpf_func_id, const void *opts)</c>: 1 when the
    /// kernel lets programs of that type call the helper, 0 when not, a negative errno when it cannot tell.</summary>
    [LibraryImport(Library, EntryPoint = "libbpf_probe_bpf_helper")]
    internal static partial int LibbpfProbeBpfHelper(int progType, int helperId, nint opts);
}
