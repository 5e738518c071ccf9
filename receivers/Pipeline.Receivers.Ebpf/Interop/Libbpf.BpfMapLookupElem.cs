using System.Runtime.InteropServices;

namespace Pipeline.Receivers.Ebpf.Interop;

internal static partial class Libbpf
{
    /// <summary><c>int bpf_map_lookup_elem(int fd, const void *key, void *value)</c>; for per-CPU maps value holds one slot per possible CPU.</summary>
    [LibraryImport(Library, EntryPoint = "bpf_map_lookup_elem", SetLastError = true)]
    internal static unsafe partial int BpfMapLookupElem(int fd, void* key, void* value);
}
