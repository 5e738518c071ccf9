namespace Pipeline.Receivers.Ebpf.Loader;

/// <summary>How the programs are attached. Both sets in the object share their handlers.</summary>
internal enum AttachMode
{
    /// <summary>One program per syscall tracepoint (<c>tracepoint/syscalls/sys_enter_read</c>, …): runs only on the
    /// syscalls we trace, but needs tracefs for the tracepoint ids.</summary>
    Tracepoint,

    /// <summary><c>raw_tracepoint/sys_enter</c>/<c>sys_exit</c> dispatching on the syscall number, and
    /// <c>raw_tp/…</c> for the sched and sock tracepoints: attached by name, no tracefs needed, but the two syscall
    /// programs run on every syscall of the machine.</summary>
    RawTracepoint,
}
