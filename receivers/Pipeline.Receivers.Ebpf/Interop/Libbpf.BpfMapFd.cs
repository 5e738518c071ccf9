using System.Runtime.InteropServices;

namespace Pipeline.Receivers.Ebpf.Interop;

internal static partial class Libbpf
{
    /// <summary><c>int bpf_map__fd(const struct bpf_map *map)</c>: the map fd after load (owned by the object).</summary>
    [LibraryImport(Library, EntryPoint = "bpf_map__fd")]
    internal static partial int BpfMapFd(nint map);
}
