using System.Net;
using System.Text;
using Pipeline.Receivers.Ebpf.Tracking;
using Xunit;

namespace Pipeline.Receivers.Ebpf.Tests.Kernel;

/// <summary>Real servers under the loaded programs, driven by curl: the kernel events must say what happened on the wire.</summary>
[Collection(KernelCollection.Name)]
public sealed class RealServerTests
{
    [SkippableFact]
    public void PythonHttpServer_CurlRequest_EmitsOpenDataCloseWithAddressesAndPositions()
    {
        BpfRequirement.Ensure();
        string python = BpfRequirement.RequireProgram("python3");
        string curl = BpfRequirement.RequireProgram("curl");
        string root = Directory.CreateTempSubdirectory("ebpf-py").FullName;
        File.WriteAllText(Path.Combine(root, "hello.txt"), new string('x', 3000));
        int port = ServerProcess.FreePort();
        using var server = ServerProcess.Start(python, ["-m", "http.server", port.ToString(), "--bind", "127.0.0.1"], port, root);
        using var session = new TracerSession();
        session.Tracer.AddPid(server.Pid);

        string body = ServerProcess.Run(curl, "-s", "http://127.0.0.1:" + port + "/hello.txt");
        var events = session.CollectUntil(list => list.Exists(e => e.Tgid == server.Pid && e.Kind == SocketEventKind.Close));

        Assert.Equal(3000, body.Length);
        var mine = events.FindAll(e => e.Tgid == server.Pid);
        var open = Assert.Single(mine, e => e.Kind == SocketEventKind.Open);
        Assert.Equal(ConnectionRole.Server, open.Role);
        Assert.Equal(IPAddress.Loopback, open.LocalAddress);
        Assert.Equal(port, open.LocalPort);
        Assert.Equal(IPAddress.Loopback, open.RemoteAddress);
        Assert.NotEqual(0, open.RemotePort);

        var conn = mine.FindAll(e => e.Key == open.Key);
        var ingress = conn.FindAll(e => e.Kind == SocketEventKind.Data && e.Direction == Direction.Ingress);
        var egress = conn.FindAll(e => e.Kind == SocketEventKind.Data && e.Direction == Direction.Egress);
        Assert.StartsWith("GET /hello.txt HTTP/1.1\r\n", Encoding.ASCII.GetString(ingress[0].Payload.Span));
        Assert.StartsWith("HTTP/1.0 200 OK\r\n", Encoding.ASCII.GetString(egress[0].Payload.Span));
        AssertContiguous(ingress);
        AssertContiguous(egress);
        long sent = egress.Sum(e => (long)e.TotalLength);
        Assert.True(sent > 3000, "response bytes counted: " + sent);
        Assert.All(conn.FindAll(e => e.Kind == SocketEventKind.Data), e => Assert.True(e.ExitTimestampNs >= e.TimestampNs && e.TimestampNs >= open.Generation));
        var close = Assert.Single(conn, e => e.Kind == SocketEventKind.Close);
        Assert.Equal(port, close.LocalPort);
        Assert.Equal(server.Pid, open.Tgid);
        Assert.Equal(server.Pid, open.NamespaceTgid);
    }

    [SkippableFact]
    public void Nginx_CurlRequests_SeesRecvfromWritevAndSendfileBytes()
    {
        BpfRequirement.Ensure();
        string nginx = BpfRequirement.RequireProgram("nginx");
        string curl = BpfRequirement.RequireProgram("curl");
        string root = Directory.CreateTempSubdirectory("ebpf-nginx").FullName;
        File.WriteAllText(Path.Combine(root, "big.bin"), new string('y', 200_000));
        int port = ServerProcess.FreePort();
        File.WriteAllText(Path.Combine(root, "nginx.conf"), $$"""
            daemon off;
            master_process off;
            worker_processes 1;
            pid {{root}}/nginx.pid;
            error_log {{root}}/error.log;
            events { worker_connections 64; }
            http {
                access_log off;
                sendfile on;
                client_body_temp_path {{root}};
                proxy_temp_path {{root}};
                fastcgi_temp_path {{root}};
                uwsgi_temp_path {{root}};
                scgi_temp_path {{root}};
                server { listen 127.0.0.1:{{port}}; root {{root}}; }
            }
            """);
        using var server = ServerProcess.Start(nginx, ["-c", Path.Combine(root, "nginx.conf"), "-p", root], port, root);
        using var session = new TracerSession();
        session.Tracer.AddPid(server.Pid);

        string body = ServerProcess.Run(curl, "-s", "http://127.0.0.1:" + port + "/big.bin");
        var events = session.CollectUntil(list => list.Exists(e => e.Tgid == server.Pid && e.Kind == SocketEventKind.Close));

        Assert.Equal(200_000, body.Length);
        var mine = events.FindAll(e => e.Tgid == server.Pid);
        var open = Assert.Single(mine, e => e.Kind == SocketEventKind.Open);
        var egress = mine.FindAll(e => e.Key == open.Key && e.Kind == SocketEventKind.Data && e.Direction == Direction.Egress);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", Encoding.ASCII.GetString(egress[0].Payload.Span));
        AssertContiguous(egress);
        long sent = egress.Sum(e => (long)e.TotalLength);
        Assert.True(sent > 200_000, "sendfile bytes counted: " + sent);
        Assert.Contains(egress, e => e.Payload.Length == 0 && e.TotalLength > 0);
    }

    private static void AssertContiguous(List<SocketEvent> chunks)
    {
        Assert.NotEmpty(chunks);
        ulong expected = 0;
        foreach (var chunk in chunks.OrderBy(c => c.StreamPosition))
        {
            Assert.Equal(expected, chunk.StreamPosition);
            Assert.True(chunk.Payload.Length <= chunk.TotalLength);
            expected += chunk.TotalLength;
        }
    }
}
