using System.Runtime.InteropServices;

namespace Pipeline.Receivers.Ebpf.Interop;

internal static partial class Libbpf
{
    /// <summary><c>struct bpf_program *bpf_object__next_program(const struct bpf_object *obj, struct bpf_program *prog)</c>: iterates programs (NULL starts).</summary>
    [LibraryImport(Library, EntryPoint = "bpf_object__next_program")]
    internal static partial nint BpfObjectNextProgram(Native.BpfObjectHandle obj, nint previous);
}
