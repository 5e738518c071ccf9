using System.Net;
using System.Net.Sockets;
using Pipeline.Receivers.Ebpf.Discovery;
using Xunit;

namespace Pipeline.Receivers.Ebpf.Tests.Discovery;

public sealed class SockDiagTests
{
    [SkippableFact]
    public void TryReadListening_SeesTheSameListenersAsProcNetTcp()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "Linux only");
        using var v4 = new TcpListener(IPAddress.Loopback, 0);
        v4.Start();
        using var v6 = new TcpListener(IPAddress.IPv6Loopback, 0);
        v6.Start();
        using var connected = new TcpClient();
        connected.Connect(IPAddress.Loopback, ((IPEndPoint)v4.LocalEndpoint).Port);
        var fromProc = new Dictionary<ulong, int>();
        var fromNetlink = new Dictionary<ulong, int>();

        ProcFs.ReadListening("/proc/self/net/tcp", fromProc);
        ProcFs.ReadListening("/proc/self/net/tcp6", fromProc);
        bool read = SockDiag.TryReadListening(fromNetlink);

        Assert.True(read);
        Assert.Contains(((IPEndPoint)v4.LocalEndpoint).Port, fromNetlink.Values);
        Assert.Contains(((IPEndPoint)v6.LocalEndpoint).Port, fromNetlink.Values);
        Assert.DoesNotContain(((IPEndPoint)connected.Client.LocalEndPoint!).Port, fromNetlink.Values);
        int[] ours = [((IPEndPoint)v4.LocalEndpoint).Port, ((IPEndPoint)v6.LocalEndpoint).Port];
        var ourInodes = fromProc.Where(e => ours.Contains(e.Value)).ToList();
        Assert.Equal(2, ourInodes.Count);
        foreach (var (inode, port) in ourInodes)
        {
            Assert.Equal(port, fromNetlink[inode]); // the same socket (inode) on the same port as /proc says
        }
    }
}
