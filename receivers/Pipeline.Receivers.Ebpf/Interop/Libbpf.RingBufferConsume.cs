using System.Runtime.InteropServices;

namespace Pipeline.Receivers.Ebpf.Interop;

internal static partial class Libbpf
{
    /// <summary><c>int ring_buffer__consume(struct ring_buffer *rb)</c>: consumes whatever is queued without waiting (records written with BPF_RB_NO_WAKEUP).</summary>
    [LibraryImport(Library, EntryPoint = "ring_buffer__consume")]
    internal static partial int RingBufferConsume(Native.RingBufferHandle rb);
}
