using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Pipeline.Receivers.Otlp.Config;

/// <summary>A <c>host:port</c> listen address as Go's <c>net.SplitHostPort</c> reads it (<c>[::1]:4317</c>, <c>:4317</c>).</summary>
/// <param name="Host">The host without brackets; empty means every interface.</param>
/// <param name="Port">The port; 0 asks the OS for a free one.</param>
internal readonly record struct ServerEndpoint(string Host, int Port)
{
    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says what is wrong (Go's wording).</summary>
    public static bool TryParse(string text, out ServerEndpoint endpoint, [NotNullWhen(false)] out string? error)
    {
        endpoint = default;
        int colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            error = "missing port in address";
            return false;
        }

        string host;
        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                error = "missing ']' in address";
                return false;
            }

            if (close + 1 != colon)
            {
                error = close + 1 == text.Length ? "missing port in address" : "unexpected character after ']' in address";
                return false;
            }

            host = text[1..close];
        }
        else
        {
            host = text[..colon];
            if (host.Contains(':', StringComparison.Ordinal))
            {
                error = "too many colons in address";
                return false;
            }
        }

        string port = text[(colon + 1)..];
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number > 65535)
        {
            error = $"invalid port \"{port}\"";
            return false;
        }

        endpoint = new ServerEndpoint(host, number);
        error = null;
        return true;
    }
}
