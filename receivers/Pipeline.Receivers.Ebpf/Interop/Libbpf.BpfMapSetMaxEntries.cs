using System.Runtime.InteropServices;

namespace Pipeline.Receivers.Ebpf.Interop;

internal static partial class Libbpf
{
    /// <summary><c>int bpf_map__set_max_entries(struct bpf_map *map, __u32 max_entries)</c>: before load; for a ring buffer, its size in bytes.</summary>
    [LibraryImport(Library, EntryPoint = "bpf_map__set_max_entries")]
    internal static partial int BpfMapSetMaxEntries(nint map, uint maxEntries);
}
