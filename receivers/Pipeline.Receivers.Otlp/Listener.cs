using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Pipeline.Receivers.Otlp.Config;

namespace Pipeline.Receivers.Otlp;

/// <summary>Turns a configured endpoint into a Kestrel listener, resolving names as Go's <c>net.Listen</c> does
/// (one address; <c>localhost</c> is the IPv4 loopback; an empty host is every interface).</summary>
internal static class Listener
{
    /// <summary>Resolves <paramref name="endpoint"/> for <paramref name="transport"/> (not unix).</summary>
    public static async Task<IPEndPoint> ResolveAsync(string transport, string endpoint, CancellationToken cancellationToken)
    {
        if (!ServerEndpoint.TryParse(endpoint, out var parsed, out string? error))
        {
            throw new InvalidOperationException($"listen {transport}: address {endpoint}: {error}");
        }

        bool v6Only = transport == ServerTransport.Tcp6;
        bool v4Only = transport == ServerTransport.Tcp4;
        IPAddress address;
        if (parsed.Host.Length == 0)
        {
            address = v4Only || !Socket.OSSupportsIPv6 ? IPAddress.Any : IPAddress.IPv6Any;
        }
        else if (IPAddress.TryParse(parsed.Host, out var literal))
        {
            address = literal;
        }
        else if (string.Equals(parsed.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = v6Only ? IPAddress.IPv6Loopback : IPAddress.Loopback;
        }
        else
        {
            var addresses = await Dns.GetHostAddressesAsync(parsed.Host, cancellationToken).ConfigureAwait(false);
            address = Pick(addresses, v4Only, v6Only)
                ?? throw new InvalidOperationException($"listen {transport}: lookup {parsed.Host}: no suitable address found");
        }

        return new IPEndPoint(address, parsed.Port);
    }

    /// <summary>Adds the listener to Kestrel; <paramref name="bound"/> receives its options so the bound port can be read after start.</summary>
    public static void Listen(KestrelServerOptions kestrel, string transport, string endpoint, IPEndPoint? resolved, Action<ListenOptions> configure, Action<ListenOptions> bound)
    {
        if (transport == ServerTransport.Unix)
        {
            kestrel.ListenUnixSocket(endpoint, o =>
            {
                configure(o);
                bound(o);
            });
            return;
        }

        kestrel.Listen(resolved!, o =>
        {
            configure(o);
            bound(o);
        });
    }

    private static IPAddress? Pick(IPAddress[] addresses, bool v4Only, bool v6Only)
    {
        IPAddress? fallback = null;
        foreach (var a in addresses)
        {
            if (a.AddressFamily == AddressFamily.InterNetwork && !v6Only)
            {
                return a;
            }

            if (a.AddressFamily == AddressFamily.InterNetworkV6 && !v4Only)
            {
                fallback ??= a;
            }
        }

        return fallback;
    }
}
