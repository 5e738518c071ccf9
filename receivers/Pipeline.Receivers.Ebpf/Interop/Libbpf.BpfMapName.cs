using System.Runtime.InteropServices;

namespace Pipeline.Receivers.Ebpf.Interop;

internal static partial class Libbpf
{
    /// <summary><c>const char *bpf_map__name(const struct bpf_map *map)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "bpf_map__name")]
    internal static partial nint BpfMapName(nint map);
}
