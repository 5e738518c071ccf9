using System.Runtime.InteropServices;

namespace Pipeline.Receivers.Ebpf.Events;

/// <summary>Mirror of <c>struct pl_data_event</c> (72 bytes); <c>cap_len</c> payload bytes follow it in the record.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DataEvent
{
    public EventHeader hdr;
    public ulong ts_exit_ns;
    public ulong stream_pos;
    public uint total_len;
    public uint cap_len;
    public byte direction;
    public byte role;
    public byte source;
    public byte _pad1;
    public uint _pad2;
}
