using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Pipeline.Telemetry;

namespace Pipeline.Receivers.Otlp;

/// <summary>
/// Builds the <see cref="ClientInfo"/> of a request as otelcol's confighttp/configgrpc do: the peer's IP address
/// always (no port, IPv4-mapped addresses as IPv4, no IPv6 zone), and every request header with all its values only
/// when <c>include_metadata</c> is on.
/// </summary>
/// <remarks>
/// Without metadata the info depends only on the peer address, so it is cached by address: a request then costs a
/// lookup, not an allocation. The cache is bounded and simply emptied when full.
/// </remarks>
internal sealed class ClientInfoReader
{
    /// <summary>Distinct peer addresses kept before the cache is emptied.</summary>
    internal const int MaxCachedAddresses = 4096;

    private readonly bool _includeMetadata;
    private readonly ConcurrentDictionary<IPAddress, ClientInfo> _byAddress = new();

    public ClientInfoReader(bool includeMetadata) => _includeMetadata = includeMetadata;

    /// <summary>The client of <paramref name="context"/>'s request.</summary>
    public ClientInfo Read(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (!_includeMetadata)
        {
            if (remote is null)
            {
                return ClientInfo.Empty;
            }

            if (_byAddress.TryGetValue(remote, out var cached))
            {
                return cached;
            }

            if (_byAddress.Count >= MaxCachedAddresses)
            {
                _byAddress.Clear();
            }

            var info = new ClientInfo(FormatAddress(remote));
            _byAddress.TryAdd(remote, info);
            return info;
        }

        var headers = context.Request.Headers;
        var metadata = new KeyValuePair<string, string[]>[headers.Count];
        int n = 0;
        foreach (var (name, values) in headers)
        {
            var copy = new string[values.Count];
            for (int i = 0; i < copy.Length; i++)
            {
                copy[i] = values[i] ?? string.Empty;
            }

            metadata[n++] = new(name, copy);
        }

        return new ClientInfo(remote is null ? null : FormatAddress(remote), new ArraySegment<KeyValuePair<string, string[]>>(metadata, 0, n));
    }

    /// <summary>The address as Go's <c>net.IP.String()</c> prints it.</summary>
    internal static string FormatAddress(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0)
        {
            return new IPAddress(address.GetAddressBytes()).ToString();
        }

        return address.ToString();
    }
}
