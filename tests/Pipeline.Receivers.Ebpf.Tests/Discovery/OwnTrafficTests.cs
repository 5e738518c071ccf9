using Pipeline.Receivers.Ebpf.Discovery;
using Xunit;

namespace Pipeline.Receivers.Ebpf.Tests.Discovery;

/// <summary>The collector's own ports: what we listen on (from a fake /proc) and the configured endpoints.</summary>
public sealed class OwnTrafficTests
{
    private const string TcpHeader = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";

    [Fact]
    public void Ports_ListeningAndConnectedSockets_OnlyOurListenPorts()
    {
        string root = FakeProc(
            42,
            ["socket:[1001]", "socket:[1002]", "socket:[1003]", "/dev/null"],
            [
                "   0: 0100007F:10E1 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1001 1 0 100 0 0 10 0",
                "   1: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 1003 1 0 100 0 0 10 0",
                "   2: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 9999 1 0 100 0 0 10 0",
            ],
            [
                "   0: 00000000000000000000000001000000:10E2 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1002 1 0 100 0 0 10 0",
            ]);

        var ports = new OwnTraffic(42, root).Ports();

        Assert.Equal([4321, 4322], ports.Order().Select(p => (int)p));
    }

    [Fact]
    public void Ports_WithConfigured_IncludesThem()
    {
        string root = FakeProc(7, [], [], []);

        var ports = new OwnTraffic(7, root) { Configured = new HashSet<ushort> { 4317 } }.Ports();

        Assert.Equal([(ushort)4317], ports);
    }

    [Fact]
    public void FromEndpoints_ListenAlwaysDestinationsOnlyOnThisHost()
    {
        string[] listen = ["127.0.0.1:4317", "localhost:4318", ":13133", "[::1]:55681", "/var/run/otlp.sock"];
        string[] destinations = ["http://127.0.0.1:5318/v1/traces", "localhost:6317", "https://api.vendor.example", "collector.example:4317", "dns:///localhost:7317"];

        var ports = OwnTraffic.FromEndpoints(listen, destinations, host => host is "127.0.0.1" or "localhost");

        Assert.Equal([4317, 4318, 5318, 6317, 7317, 13133, 55681], ports.Order().Select(p => (int)p));
    }

    [Theory]
    [InlineData("0.0.0.0:4317", "0.0.0.0", 4317)]
    [InlineData("[::]:4318", "::", 4318)]
    [InlineData("https://backend:8443/v1/traces", "backend", 8443)]
    [InlineData("https://backend", "backend", 443)]
    [InlineData("http://[::1]:9000", "::1", 9000)]
    public void TryParse_EndpointForms_HostAndPort(string endpoint, string host, int port)
    {
        bool ok = OwnTraffic.TryParse(endpoint, out string h, out ushort p);

        Assert.True(ok);
        Assert.Equal(host, h);
        Assert.Equal(port, p);
    }

    [Theory]
    [InlineData("/tmp/otlp.sock")]
    [InlineData("localhost")]
    [InlineData("localhost:0")]
    [InlineData("localhost:http")]
    public void TryParse_NoPort_False(string endpoint)
    {
        bool ok = OwnTraffic.TryParse(endpoint, out _, out _);

        Assert.False(ok);
    }

    private static string FakeProc(uint pid, string[] fdTargets, string[] tcp, string[] tcp6)
    {
        string root = Directory.CreateTempSubdirectory("ownproc").FullName;
        string dir = Path.Combine(root, pid.ToString());
        Directory.CreateDirectory(Path.Combine(dir, "fd"));
        Directory.CreateDirectory(Path.Combine(dir, "net"));
        for (int i = 0; i < fdTargets.Length; i++)
        {
            File.CreateSymbolicLink(Path.Combine(dir, "fd", i.ToString()), fdTargets[i]);
        }

        File.WriteAllLines(Path.Combine(dir, "net", "tcp"), [TcpHeader, .. tcp]);
        File.WriteAllLines(Path.Combine(dir, "net", "tcp6"), [TcpHeader, .. tcp6]);
        return root;
    }
}
