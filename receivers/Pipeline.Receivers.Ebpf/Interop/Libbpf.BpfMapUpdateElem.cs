using System.Runtime.InteropServices;

namespace Pipeline.Receivers.Ebpf.Interop;

internal static partial class Libbpf
{
    /// <summary><c>int bpf_map_update_elem(int fd, const void *key, const void *value, __u64 flags)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "bpf_map_update_elem", SetLastError = true)]
    internal static unsafe partial int BpfMapUpdateElem(int fd, void* key, void* value, ulong flags);
}
