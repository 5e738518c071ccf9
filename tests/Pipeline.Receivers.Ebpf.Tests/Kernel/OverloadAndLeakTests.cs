using System.Net;
using System.Net.Sockets;
using System.Text;
using Pipeline.Receivers.Ebpf.Discovery;
using Pipeline.Receivers.Ebpf.Events;
using Pipeline.Receivers.Ebpf.Tracking;
using Xunit;

namespace Pipeline.Receivers.Ebpf.Tests.Kernel;

[Collection(KernelCollection.Name)]
public sealed class OverloadAndLeakTests
{
    [SkippableFact]
    public void TinyRingBuffer_NotDrained_CountsKernelWriteFailures()
    {
        BpfRequirement.Ensure();
        string python = BpfRequirement.RequireProgram("python3");
        int port = ServerProcess.FreePort();
        using var server = ServerProcess.Start(python, ["-m", "http.server", port.ToString(), "--bind", "127.0.0.1"], port);
        // One page of ring buffer that nobody drains: writes must fail, and the kernel must count them.
        using var session = new TracerSession(ringBufferSize: 4096, captureSize: 2048, startReader: false);
        session.Tracer.AddPid(server.Pid);

        Flood(port, 10);

        var stats = session.Tracer.ReadStats();
        Assert.True(stats[EventKinds.StatRingbufFail] > 0, "ring-buffer write failures counted in the stats map");
        Assert.True(stats[EventKinds.StatRingbufOk] > 0);
    }

    [SkippableFact]
    public void FullChannel_Flood_CountsChannelDrops()
    {
        BpfRequirement.Ensure();
        string python = BpfRequirement.RequireProgram("python3");
        int port = ServerProcess.FreePort();
        using var server = ServerProcess.Start(python, ["-m", "http.server", port.ToString(), "--bind", "127.0.0.1"], port);
        // A one-slot channel nobody reads: the reader keeps draining the ring buffer and must count what it drops.
        using var session = new TracerSession(channelCapacity: 1);
        session.Tracer.AddPid(server.Pid);

        Flood(port, 10);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (session.Reader.Dropped == 0 && DateTime.UtcNow < deadline)
        {
            Thread.Yield();
        }

        Assert.True(session.Reader.Dropped > 0, "channel drops counted by the reader");
        Assert.Equal(session.Reader.Received, session.Reader.Dropped + 1);
    }

    private static void Flood(int port, int requests)
    {
        for (int i = 0; i < requests; i++)
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            using var stream = client.GetStream();
            stream.Write(Encoding.ASCII.GetBytes("GET / HTTP/1.0\r\n" + new string('h', 1500) + ": x\r\n\r\n"));
            stream.CopyTo(Stream.Null);
        }
    }

    [SkippableFact]
    public void ServerKilledWithOpenConnections_ExitCleansPidFilterAndConnections()
    {
        BpfRequirement.Ensure();
        string python = BpfRequirement.RequireProgram("python3");
        int port = ServerProcess.FreePort();
        var server = ServerProcess.Start(python, ["-m", "http.server", port.ToString(), "--bind", "127.0.0.1"], port);
        uint pid = server.Pid;
        using var session = new TracerSession();
        var config = new DiscoveryConfig { Instrument = [Selector(pid)] };
        config.Validate(new Abstractions.Configuration.ValidationErrors(new Abstractions.Configuration.ConfigErrorList(), "discovery"));
        var discovery = new ProcessDiscovery(config, new ProcFs(), new TracerPidFilter(session.Tracer), (uint)Environment.ProcessId);
        var clients = new List<TcpClient>();

        try
        {
            Assert.Equal([pid], discovery.Scan());
            for (int i = 0; i < 5; i++)
            {
                var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                client.GetStream().Write("GET / HTTP/1.1\r\n"u8);
                clients.Add(client);
            }

            var until = DateTime.UtcNow.AddSeconds(10);
            while (session.Tracer.CountConnections(pid) < 5 && DateTime.UtcNow < until)
            {
                Thread.Yield();
            }

            Assert.Equal(5, session.Tracer.CountConnections(pid));
            server.Kill();
            var events = session.CollectUntil(list => list.Exists(e => e.Kind == SocketEventKind.ProcessExit && e.Tgid == pid && e.Tid == pid));
            var exit = events.Find(e => e.Kind == SocketEventKind.ProcessExit && e.Tgid == pid && e.Tid == pid);
            Assert.NotNull(exit);
            Assert.True(session.Tracer.HasPid(pid), "the kernel keeps the pid until user space handles the exit");

            discovery.OnExit(exit.Tgid);

            Assert.False(session.Tracer.HasPid(pid));
            Assert.Equal(0, session.Tracer.CountConnections(pid));
            Assert.Equal(0, discovery.TracedCount);
            Assert.Equal(5, discovery.PurgedConnections);
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }

            server.Dispose();
        }
    }

    private static ProcessSelector Selector(uint pid)
    {
        var selector = new ProcessSelector { TargetPids = [(int)pid] };
        return selector;
    }
}
