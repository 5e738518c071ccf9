using System.Runtime.InteropServices;

namespace Pipeline.Receivers.Ebpf.Interop;

internal static partial class Libbpf
{
    /// <summary><c>int bpf_object__load(struct bpf_object *obj)</c>: creates the maps, relocates (CO-RE) and verifies the programs.</summary>
    [LibraryImport(Library, EntryPoint = "bpf_object__load")]
    internal static partial int BpfObjectLoad(Native.BpfObjectHandle obj);
}
