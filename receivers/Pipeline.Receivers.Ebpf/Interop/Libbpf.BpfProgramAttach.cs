using System.Runtime.InteropServices;

namespace Pipeline.Receivers.Ebpf.Interop;

internal static partial class Libbpf
{
    /// <summary><c>struct bpf_link *bpf_program__attach(const struct bpf_program *prog)</c>: attaches by section name.</summary>
    [LibraryImport(Library, EntryPoint = "bpf_program__attach", SetLastError = true)]
    internal static partial Native.BpfLinkHandle BpfProgramAttach(nint prog);
}
