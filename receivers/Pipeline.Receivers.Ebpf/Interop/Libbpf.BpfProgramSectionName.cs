using System.Runtime.InteropServices;

namespace Pipeline.Receivers.Ebpf.Interop;

internal static partial class Libbpf
{
    /// <summary><c>const char *bpf_program__section_name(const struct bpf_program *prog)</c>: e.g. <c>tracepoint/syscalls/sys_enter_read</c>.</summary>
    [LibraryImport(Library, EntryPoint = "bpf_program__section_name")]
    internal static partial nint BpfProgramSectionName(nint prog);
}
