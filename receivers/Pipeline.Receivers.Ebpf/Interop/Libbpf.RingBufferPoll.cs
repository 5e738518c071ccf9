using System.Runtime.InteropServices;

namespace Pipeline.Receivers.Ebpf.Interop;

internal static partial class Libbpf
{
    /// <summary><c>int ring_buffer__poll(struct ring_buffer *rb, int timeout_ms)</c>: waits for a wakeup, then consumes; returns records consumed or a negative errno.</summary>
    [LibraryImport(Library, EntryPoint = "ring_buffer__poll")]
    internal static partial int RingBufferPoll(Native.RingBufferHandle rb, int timeoutMs);
}
