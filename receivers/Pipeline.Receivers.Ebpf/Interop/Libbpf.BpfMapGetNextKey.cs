using System.Runtime.InteropServices;

namespace Pipeline.Receivers.Ebpf.Interop;

internal static partial class Libbpf
{
    /// <summary><c>int bpf_map_get_next_key(int fd, const void *key, void *next_key)</c>: iterates keys (key NULL starts; -ENOENT ends).</summary>
    [LibraryImport(Library, EntryPoint = "bpf_map_get_next_key", SetLastError = true)]
    internal static unsafe partial int BpfMapGetNextKey(int fd, void* key, void* nextKey);
}
