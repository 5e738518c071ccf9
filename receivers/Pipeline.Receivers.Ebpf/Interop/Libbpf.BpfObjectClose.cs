using System.Runtime.InteropServices;

namespace Pipeline.Receivers.Ebpf.Interop;

internal static partial class Libbpf
{
    /// <summary><c>void bpf_object__close(struct bpf_object *obj)</c>: closes every map and program fd of the object.</summary>
    [LibraryImport(Library, EntryPoint = "bpf_object__close")]
    internal static partial void BpfObjectClose(nint obj);
}
