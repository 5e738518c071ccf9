using System.Runtime.InteropServices;
using Pipeline.Receivers.Ebpf.Interop;

namespace Pipeline.Receivers.Ebpf.Native;

/// <summary>Owns a <c>struct bpf_link</c> (an attached program); releasing it detaches the program.</summary>
internal sealed class BpfLinkHandle : SafeHandle
{
    public BpfLinkHandle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle() => Libbpf.BpfLinkDestroy(handle) == 0;
}
