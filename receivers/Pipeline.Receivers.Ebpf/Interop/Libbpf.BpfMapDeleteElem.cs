using System.Runtime.InteropServices;

namespace Pipeline.Receivers.Ebpf.Interop;

internal static partial class Libbpf
{
    /// <summary><c>int bpf_map_delete_elem(int fd, const void *key)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "bpf_map_delete_elem", SetLastError = true)]
    internal static unsafe partial int BpfMapDeleteElem(int fd, void* key);
}
