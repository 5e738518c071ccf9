using System.Runtime.InteropServices;

namespace Pipeline.Receivers.Ebpf.Interop;

internal static partial class Libbpf
{
    /// <summary><c>void *bpf_map__initial_value(struct bpf_map *map, size_t *psize)</c>: before load, the writable image of a global-data map (.rodata).</summary>
    [LibraryImport(Library, EntryPoint = "bpf_map__initial_value")]
    internal static unsafe partial nint BpfMapInitialValue(nint map, nuint* size);
}
