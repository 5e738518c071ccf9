using System.Runtime.InteropServices;
using Pipeline.Receivers.Ebpf.Interop;

namespace Pipeline.Receivers.Ebpf.Native;

/// <summary>Owns a libbpf <c>struct ring_buffer</c> (its epoll fd and the mmapped ring).</summary>
internal sealed class RingBufferHandle : SafeHandle
{
    public RingBufferHandle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        Libbpf.RingBufferFree(handle);
        return true;
    }
}
