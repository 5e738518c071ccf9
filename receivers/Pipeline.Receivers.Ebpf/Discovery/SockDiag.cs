using System.Buffers.Binary;
using Pipeline.Receivers.Ebpf.Interop;

namespace Pipeline.Receivers.Ebpf.Discovery;

/// <summary>The TCP sockets in LISTEN of this process's network namespace, from netlink <c>sock_diag</c> (the
/// <c>ss -lt</c> query). Reading <c>/proc/&lt;pid&gt;/net/tcp</c> instead walks every bucket of the kernel's
/// established-connection hash to print a few listeners: half of the idle collector's CPU on a 24 GiB machine
/// (BENCHMARKS.md). With the LISTEN state alone the kernel walks only the listening hash.</summary>
internal static class SockDiag
{
    private const ushort SockDiagByFamily = 20;
    private const ushort NlmFRequest = 0x1;
    private const ushort NlmFDump = 0x300;
    private const ushort NlmsgError = 2;
    private const ushort NlmsgDone = 3;
    private const int NlmsgHeader = 16;
    private const int TcpListenBit = 1 << 10;
    private const int InetDiagSportOffset = 4;
    private const int InetDiagInodeOffset = 68;

    /// <summary>Adds inode → port for every IPv4 and IPv6 TCP socket in LISTEN; false when netlink cannot be used
    /// (the caller then reads <c>/proc/&lt;pid&gt;/net/tcp</c>).</summary>
    public static bool TryReadListening(Dictionary<ulong, int> into)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        int fd = LibC.Socket(LibC.AfNetlink, LibC.SockDgram | LibC.SockCloexec, LibC.NetlinkSockDiag);
        if (fd < 0)
        {
            return false;
        }

        try
        {
            return Dump(fd, 2 /* AF_INET */, into) && Dump(fd, 10 /* AF_INET6 */, into);
        }
        finally
        {
            LibC.Close(fd);
        }
    }

    private static unsafe bool Dump(int fd, byte family, Dictionary<ulong, int> into)
    {
        // nlmsghdr (16) + inet_diag_req_v2 (family, protocol, ext, pad, states, inet_diag_sockid of 48 zero bytes)
        Span<byte> request = stackalloc byte[NlmsgHeader + 56];
        request.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(request, (uint)request.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(request[4..], SockDiagByFamily);
        BinaryPrimitives.WriteUInt16LittleEndian(request[6..], NlmFRequest | NlmFDump);
        BinaryPrimitives.WriteUInt32LittleEndian(request[8..], 1);
        request[NlmsgHeader] = family;
        request[NlmsgHeader + 1] = 6; // IPPROTO_TCP
        BinaryPrimitives.WriteUInt32LittleEndian(request[(NlmsgHeader + 4)..], TcpListenBit);
        fixed (byte* p = request)
        {
            if (LibC.Send(fd, p, (nuint)request.Length, 0) != request.Length)
            {
                return false;
            }
        }

        byte[] buffer = new byte[32 * 1024];
        while (true)
        {
            nint n;
            fixed (byte* p = buffer)
            {
                n = LibC.Recv(fd, p, (nuint)buffer.Length, 0);
            }

            if (n <= 0)
            {
                return false;
            }

            var data = buffer.AsSpan(0, (int)n);
            while (data.Length >= NlmsgHeader)
            {
                int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(data);
                ushort type = BinaryPrimitives.ReadUInt16LittleEndian(data[4..]);
                if (length < NlmsgHeader || length > data.Length)
                {
                    return false;
                }

                if (type == NlmsgDone)
                {
                    return true;
                }

                if (type == NlmsgError)
                {
                    return false;
                }

                var message = data.Slice(NlmsgHeader, length - NlmsgHeader);
                if (message.Length >= InetDiagInodeOffset + 4)
                {
                    int port = BinaryPrimitives.ReadUInt16BigEndian(message[InetDiagSportOffset..]);
                    ulong inode = BinaryPrimitives.ReadUInt32LittleEndian(message[InetDiagInodeOffset..]);
                    into[inode] = port;
                }

                int aligned = (length + 3) & ~3;
                data = aligned >= data.Length ? [] : data[aligned..];
            }
        }
    }
}
