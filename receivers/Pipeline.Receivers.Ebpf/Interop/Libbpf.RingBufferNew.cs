using System.Runtime.InteropServices;

namespace Pipeline.Receivers.Ebpf.Interop;

internal static partial class Libbpf
{
    /// <summary><c>struct ring_buffer *ring_buffer__new(int map_fd, ring_buffer_sample_fn sample_cb, void *ctx, const struct ring_buffer_opts *opts)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "ring_buffer__new", SetLastError = true)]
    internal static unsafe partial Native.RingBufferHandle RingBufferNew(int mapFd, delegate* unmanaged<nint, nint, nuint, int> sampleCallback, nint ctx, nint opts);
}
