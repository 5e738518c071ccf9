using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;

namespace Pipeline.Receivers.Ebpf.Discovery;

/// <summary>
/// Finds the TCP ports that carry the collector's own traffic, so the kernel can skip those connections in every
/// traced process: the ports this process listens on, read from /proc (its OTLP receivers whatever endpoints they
/// were given, defaults and port 0 included; root is a parameter for tests), plus the configured endpoints the host
/// offers (<see cref="Pipeline.Abstractions.ICollectorEndpoints"/>): every listen endpoint's port, and the port of
/// each exporter destination on this host. A destination on another host is not listed: only this process talks to
/// it from here, and this process is never traced; excluding, say, 443 would hide every traced HTTPS call.
/// </summary>
internal sealed class OwnTraffic
{
    private const string Listen = "0A";

    private readonly string _root;
    private readonly uint _pid;

    public OwnTraffic(uint pid, string root = "/proc")
    {
        _pid = pid;
        _root = root;
    }

    /// <summary>Ports from the configured endpoints (see <see cref="FromEndpoints"/>), always included.</summary>
    public IReadOnlySet<ushort> Configured { get; init; } = new HashSet<ushort>();

    /// <summary>The ports to exclude now: the configured ones and the ones we listen on.</summary>
    public HashSet<ushort> Ports()
    {
        var ports = new HashSet<ushort>(Configured);
        var inodes = SocketInodes();
        if (inodes.Count == 0)
        {
            return ports;
        }

        var sockets = new List<TcpLine>();
        string dir = _root + "/" + _pid.ToString(CultureInfo.InvariantCulture) + "/net/";
        Read(dir + "tcp", inodes, sockets);
        Read(dir + "tcp6", inodes, sockets);
        foreach (var s in sockets)
        {
            if (s.State == Listen)
            {
                ports.Add(s.LocalPort);
            }
        }

        return ports;
    }

    private HashSet<ulong> SocketInodes()
    {
        var inodes = new HashSet<ulong>();
        try
        {
            foreach (string fd in Directory.EnumerateFileSystemEntries(_root + "/" + _pid.ToString(CultureInfo.InvariantCulture) + "/fd"))
            {
                string? target;
                try
                {
                    target = new FileInfo(fd).LinkTarget;
                }
                catch (IOException)
                {
                    continue;
                }

                if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal)
                    && ulong.TryParse(target.AsSpan(8, target.Length - 9), NumberStyles.None, CultureInfo.InvariantCulture, out ulong inode))
                {
                    inodes.Add(inode);
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return inodes;
    }

    private static void Read(string path, HashSet<ulong> inodes, List<TcpLine> into)
    {
        try
        {
            bool header = true;
            foreach (string line in File.ReadLines(path))
            {
                if (header)
                {
                    header = false;
                    continue;
                }

                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length < 10 || !ulong.TryParse(f[9], NumberStyles.None, CultureInfo.InvariantCulture, out ulong inode) || !inodes.Contains(inode))
                {
                    continue;
                }

                int lc = f[1].LastIndexOf(':');
                if (lc > 0 && ushort.TryParse(f[1].AsSpan(lc + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ushort lport))
                {
                    into.Add(new TcpLine(lport, f[3]));
                }
            }
        }
        catch (IOException)
        {
        }
    }

    /// <summary>
    /// The ports to exclude from configured endpoints: each listen endpoint's port, and each destination's port when
    /// its host is this machine (<c>localhost</c>, a loopback or wildcard address, our host name or one of our
    /// interface addresses). Forms: <c>host:port</c>, <c>[v6]:port</c>, <c>:port</c>, URLs (default ports by scheme).
    /// </summary>
    public static HashSet<ushort> FromEndpoints(IEnumerable<string> listen, IEnumerable<string> destinations, Func<string, bool>? isLocalHost = null)
    {
        isLocalHost ??= IsThisHost;
        var ports = new HashSet<ushort>();
        foreach (string endpoint in listen)
        {
            if (TryParse(endpoint, out _, out ushort port))
            {
                ports.Add(port);
            }
        }

        foreach (string endpoint in destinations)
        {
            if (TryParse(endpoint, out string host, out ushort port) && isLocalHost(host))
            {
                ports.Add(port);
            }
        }

        return ports;
    }

    /// <summary>Splits an endpoint into host and port; false when it names no port (a unix socket path, garbage).</summary>
    internal static bool TryParse(string endpoint, out string host, out ushort port)
    {
        host = string.Empty;
        port = 0;
        string text = endpoint.Trim();
        if (text.Contains("://", StringComparison.Ordinal))
        {
            // dns:///host:port (gRPC target syntax) has an empty authority and the address in the path.
            if (text.StartsWith("dns:///", StringComparison.OrdinalIgnoreCase))
            {
                return TryParse(text["dns:///".Length..], out host, out port);
            }

            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0 || uri.Port <= 0 || uri.Port > ushort.MaxValue)
            {
                return false;
            }

            host = uri.Host.Trim('[', ']');
            port = (ushort)uri.Port;
            return true;
        }

        int colon = text.LastIndexOf(':');
        if (colon < 0 || (text.StartsWith('[') && text.IndexOf(']', StringComparison.Ordinal) > colon))
        {
            return false;
        }

        host = text[..colon].Trim('[', ']');
        return ushort.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) && port != 0;
    }

    private static bool IsThisHost(string host)
    {
        if (host.Length == 0 || host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || host.Equals(Dns.GetHostName(), StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!IPAddress.TryParse(host, out var address))
        {
            return false;
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
                {
                    if (unicast.Address.Equals(address))
                    {
                        return true;
                    }
                }
            }
        }
        catch (NetworkInformationException)
        {
        }

        return false;
    }

    private readonly record struct TcpLine(ushort LocalPort, string State);
}
