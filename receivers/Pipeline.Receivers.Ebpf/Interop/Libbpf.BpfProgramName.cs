using System.Runtime.InteropServices;

namespace Pipeline.Receivers.Ebpf.Interop;

internal static partial class Libbpf
{
    /// <summary><c>const char *bpf_program__name(const struct bpf_program *prog)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "bpf_program__name")]
    internal static partial nint BpfProgramName(nint prog);
}
