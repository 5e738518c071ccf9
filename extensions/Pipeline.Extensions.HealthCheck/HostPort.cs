using System.Globalization;

namespace Pipeline.Extensions.HealthCheck;

/// <summary>Parses <c>host:port</c>, <c>[v6]:port</c> and <c>:port</c> (all interfaces).</summary>
internal static class HostPort
{
    public static bool TryParse(string endpoint, out string host, out int port)
    {
        host = string.Empty;
        port = 0;
        int colon = endpoint.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(endpoint.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535)
        {
            return false;
        }

        host = endpoint[..colon].Trim('[', ']');
        return true;
    }
}
