using System.Runtime.InteropServices;

namespace Pipeline.Receivers.Ebpf.Events;

/// <summary>Mirror of <c>struct pl_event_header</c> (bpf/include/pipeline/event.h): the common 40-byte head of every
/// event. Field names are the C names (the layout test matches them against the object's BTF).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct EventHeader
{
    public byte kind;
    public byte flags;
    public ushort version;
    public uint tgid;
    public uint tid;
    public uint ns_tgid;
    public int fd;
    public uint _pad0;
    public ulong conn_gen;
    public ulong ts_ns;
}
