using System.Runtime.InteropServices;

namespace Pipeline.Receivers.Ebpf.Interop;

internal static partial class LibC
{
    internal const int AfNetlink = 16;
    internal const int SockDgram = 2;
    internal const int SockCloexec = 0x80000;
    internal const int NetlinkSockDiag = 4;

    /// <summary><c>int socket(int domain, int type, int protocol)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "socket", SetLastError = true)]
    internal static partial int Socket(int domain, int type, int protocol);

    /// <summary><c>ssize_t send(int fd, const void *buf, size_t len, int flags)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "send", SetLastError = true)]
    internal static unsafe partial nint Send(int fd, byte* buffer, nuint length, int flags);

    /// <summary><c>ssize_t recv(int fd, void *buf, size_t len, int flags)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "recv", SetLastError = true)]
    internal static unsafe partial nint Recv(int fd, byte* buffer, nuint length, int flags);

    /// <summary><c>int close(int fd)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "close")]
    internal static partial int Close(int fd);
}
