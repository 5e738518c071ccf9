using System.Runtime.InteropServices;

namespace Pipeline.Receivers.Ebpf.Interop;

internal static partial class Libbpf
{
    /// <summary><c>void ring_buffer__free(struct ring_buffer *rb)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "ring_buffer__free")]
    internal static partial void RingBufferFree(nint rb);
}
