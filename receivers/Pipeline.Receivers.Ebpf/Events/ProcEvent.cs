using System.Runtime.InteropServices;

namespace Pipeline.Receivers.Ebpf.Events;

/// <summary>Mirror of <c>struct pl_proc_event</c> (48 bytes): PROC_EXEC, PROC_EXIT, PROC_FORK and LISTEN.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ProcEvent
{
    public EventHeader hdr;
    public uint parent_tid;
    public uint port;
}
