using System.Runtime.InteropServices;

namespace Pipeline.Receivers.Ebpf.Interop;

internal static partial class Libbpf
{
    /// <summary><c>struct bpf_map *bpf_object__find_map_by_name(const struct bpf_object *obj, const char *name)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "bpf_object__find_map_by_name", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint BpfObjectFindMapByName(Native.BpfObjectHandle obj, string name);
}
