using System.Runtime.InteropServices;

namespace Pipeline.Receivers.Ebpf.Interop;

internal static partial class Libbpf
{
    /// <summary><c>int bpf_link__destroy(struct bpf_link *link)</c>: detaches and frees the link.</summary>
    [LibraryImport(Library, EntryPoint = "bpf_link__destroy")]
    internal static partial int BpfLinkDestroy(nint link);
}
