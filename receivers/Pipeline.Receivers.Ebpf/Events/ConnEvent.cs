using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Pipeline.Receivers.Ebpf.Events;

/// <summary>Mirror of <c>struct pl_conn_event</c> (96 bytes): CONN_OPEN and CONN_CLOSE.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ConnEvent
{
    public EventHeader hdr;
    public ushort family;
    public byte role;
    public byte _pad1;
    public ushort lport;
    public ushort rport;
    public Address16 laddr;
    public Address16 raddr;
    public ulong rd_bytes;
    public ulong wr_bytes;
}

/// <summary>An IPv6 (or v4-mapped) address in network order: <c>__u8 [16]</c>.</summary>
[InlineArray(16)]
internal struct Address16
{
    private byte _element0;
}
