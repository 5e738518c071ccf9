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
    private readonly string _root;
    private readonly uint _pid;

    public OwnTraffic(uint pid, string root = "/proc")
    {
        _pid = pid;
        _root = root;
    }

    /// <summary>Ports from the configured endpoints (see <see cref="FromEndpoints"/>), always included.</summary>
    public IReadOnlySet<ushort> Configured { get; init; } = new HashSet<ushort>();

    /// <summary>The ports to exclude now: the configured ones and the ones we listen on (our socket fds joined with
    /// the namespace's listeners, as discovery reads them: netlink sock_diag in our own namespace).</summary>
    public HashSet<ushort> Ports()
    {
        var ports = new HashSet<ushort>(Configured);
        foreach (int port in new ProcFs(_root).ListenPorts(_pid))
        {
            ports.Add((ushort)port);
        }

        return ports;
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
}
