using System.Runtime.InteropServices;

namespace Pipeline.Receivers.Ebpf.Events;

/// <summary>Mirror of <c>struct pl_config</c>: the object's .rodata, written before load.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct BpfConfig
{
    public uint self_tgid;
    public uint capture_size;
    public ulong wakeup_bytes;
}
