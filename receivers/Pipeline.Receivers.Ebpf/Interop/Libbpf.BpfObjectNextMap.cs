using System.Runtime.InteropServices;

namespace Pipeline.Receivers.Ebpf.Interop;

internal static partial class Libbpf
{
    /// <summary><c>struct bpf_map *bpf_object__next_map(const struct bpf_object *obj, const struct bpf_map *map)</c>: iterates maps (NULL starts).</summary>
    [LibraryImport(Library, EntryPoint = "bpf_object__next_map")]
    internal static partial nint BpfObjectNextMap(Native.BpfObjectHandle obj, nint previous);
}
