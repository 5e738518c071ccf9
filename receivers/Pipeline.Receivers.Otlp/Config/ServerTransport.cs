namespace Pipeline.Receivers.Otlp.Config;

/// <summary>The listen transports a server endpoint accepts (otelcol's <c>confignet</c> names).</summary>
internal static class ServerTransport
{
    /// <summary>TCP on IPv4 and IPv6.</summary>
    public const string Tcp = "tcp";

    /// <summary>TCP on IPv4 only.</summary>
    public const string Tcp4 = "tcp4";

    /// <summary>TCP on IPv6 only.</summary>
    public const string Tcp6 = "tcp6";

    /// <summary>A Unix domain socket; the endpoint is its path.</summary>
    public const string Unix = "unix";

    /// <summary>Every accepted value, for error messages.</summary>
    public static readonly string[] All = [Tcp, Tcp4, Tcp6, Unix];

    /// <summary>Adds an error when <paramref name="endpoint"/> is not a valid address for <paramref name="transport"/>.</summary>
    public static void ValidateEndpoint(Pipeline.Abstractions.Configuration.ValidationErrors e, string transport, string endpoint, string example)
    {
        if (transport == Unix)
        {
            if (endpoint.Length == 0)
            {
                e.Add("endpoint", "must be the path of the Unix socket when transport is unix.");
            }

            return;
        }

        if (!ServerEndpoint.TryParse(endpoint, out _, out string? error))
        {
            e.Add("endpoint", $"invalid endpoint \"{endpoint}\": {error}; use host:port such as {example}.");
        }
    }
}
