using System.Runtime.InteropServices;

namespace Pipeline.Receivers.Ebpf.Loader;

/// <summary>Tracepoint attachment reads tracepoint ids from tracefs. Many minimal VMs and containers boot without it
/// mounted; then we mount it ourselves (we are root or CAP_SYS_ADMIN by then).</summary>
internal static partial class TraceFs
{
    private const string Mount = "/sys/kernel/tracing";
    private const string DebugMount = "/sys/kernel/debug/tracing";

    /// <summary>Ensures tracefs event ids are readable. Returns null on success, else one sentence naming what is missing.</summary>
    public static string? Ensure(out bool mounted)
    {
        mounted = false;
        if (Directory.Exists(Mount + "/events/syscalls") || Directory.Exists(DebugMount + "/events/syscalls"))
        {
            return null;
        }

        if (!Directory.Exists(Mount))
        {
            return "The ebpf receiver needs tracefs, and " + Mount + " does not exist to mount it on.";
        }

        if (NativeMount("tracefs", Mount, "tracefs", 0, 0) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return "The ebpf receiver needs tracefs and could not mount it (mount -t tracefs tracefs " + Mount + " failed with errno " + errno + ").";
        }

        mounted = true;
        return Directory.Exists(Mount + "/events/syscalls")
            ? null
            : "The ebpf receiver needs the syscall tracepoints (CONFIG_FTRACE_SYSCALLS), and " + Mount + "/events/syscalls is absent.";
    }

    /// <summary><c>int mount(const char *source, const char *target, const char *fstype, unsigned long flags, const void *data)</c>.</summary>
    [LibraryImport("libc", EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int NativeMount(string source, string target, string fsType, nuint flags, nint data);
}
