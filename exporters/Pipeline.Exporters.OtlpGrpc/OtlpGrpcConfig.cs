using Pipeline.Abstractions.Configuration;
using Pipeline.Exporters.Helper;

namespace Pipeline.Exporters.OtlpGrpc;

/// <summary>What users write under <c>exporters::otlp_grpc</c> (otelcol's otlpexporter.Config).</summary>
public sealed class OtlpGrpcConfig : IComponentConfig
{
    /// <summary>The compressions accepted in config; <c>snappy</c> is refused by <see cref="Validate"/>.</summary>
    internal static readonly IReadOnlyList<string> Compressions = ["gzip", "zstd", "snappy", "none", ""];

    /// <summary>Balancer names grpc-go knows.</summary>
    internal static readonly IReadOnlyList<string> Balancers = ["round_robin", "pick_first"];

    /// <summary>Server address, <c>host:port</c>; <c>http://</c>, <c>https://</c> and <c>dns:///</c> prefixes are stripped
    /// (the prefix does not change TLS: use <c>tls::insecure</c>). Required.</summary>
    public string Endpoint { get; set; } = string.Empty;

    /// <summary>TLS settings; TLS is on unless <c>tls::insecure</c> is true.</summary>
    public ClientTlsConfig Tls { get; set; } = new();

    /// <summary>Headers sent with every call. Default none.</summary>
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.Ordinal);

    /// <summary><c>gzip</c> (default), <c>zstd</c>, or <c>none</c>/empty.</summary>
    public string Compression { get; set; } = "gzip";

    /// <summary>HTTP/2 keepalive pings, or null (default: none).</summary>
    public KeepaliveConfig? Keepalive { get; set; }

    /// <summary>Client-side balancer: <c>round_robin</c> (default) or <c>pick_first</c>. Accepted; see README.</summary>
    public string BalancerName { get; set; } = "round_robin";

    /// <summary>Overrides the <c>:authority</c> pseudo-header. Default empty (the endpoint's host:port).</summary>
    public string Authority { get; set; } = string.Empty;

    /// <summary>Wait for the channel to be ready instead of failing fast. Default false.</summary>
    public bool WaitForReady { get; set; }

    /// <summary>Socket read buffer size in bytes; 0 keeps the default. Accepted; see README.</summary>
    public int ReadBufferSize { get; set; }

    /// <summary>Socket write buffer size in bytes. Default 524288. Accepted; see README.</summary>
    public int WriteBufferSize { get; set; } = 512 * 1024;

    /// <summary>Per-attempt timeout (<c>timeout</c>). Default 5s.</summary>
    public TimeoutConfig Timeout { get; set; } = new();

    /// <summary><c>retry_on_failure</c>.</summary>
    public RetryConfig Retry { get; set; } = new();

    /// <summary><c>sending_queue</c>.</summary>
    public QueueConfig Queue { get; set; } = new();

    /// <inheritdoc />
    public void Bind(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        Endpoint = section.GetString("endpoint", Endpoint);
        Tls.Bind(section.GetSection("tls"));
        Headers = section.GetStringMap("headers", Headers);
        Compression = section.GetEnum("compression", Compression, Compressions);
        if (section.GetSection("keepalive") is { } keepalive)
        {
            Keepalive ??= new KeepaliveConfig();
            Keepalive.Bind(keepalive);
        }

        BalancerName = section.GetString("balancer_name", BalancerName);
        Authority = section.GetString("authority", Authority);
        WaitForReady = section.GetBool("wait_for_ready", WaitForReady);
        ReadBufferSize = section.GetInt32("read_buffer_size", ReadBufferSize, min: 0);
        WriteBufferSize = section.GetInt32("write_buffer_size", WriteBufferSize, min: 0);
        Timeout.Bind(section);
        Retry.Bind(section.GetSection("retry_on_failure"));
        Queue.Bind(section.GetSection("sending_queue"));
        section.Finish();
    }

    /// <inheritdoc />
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        string address = SanitizedEndpoint(Endpoint);
        if (address.Length == 0)
        {
            errors.Add(string.Empty, "requires a non-empty \"endpoint\".");
        }
        else if (!TrySplitHostPort(address, out _, out string? port))
        {
            errors.Add("endpoint", $"address {address}: missing port in address.");
        }
        else if (!int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int p) || p > 65535)
        {
            errors.Add("endpoint", $"invalid port \"{port}\".");
        }

        if (Compression == "snappy")
        {
            errors.Add("compression", "unsupported value \"snappy\": snappy is not implemented by this exporter; use gzip, zstd or none.");
        }

        if (!Contains(Balancers, BalancerName))
        {
            errors.Add("balancer_name", $"unsupported value \"{BalancerName}\": must be one of round_robin, pick_first.");
        }

        Tls.Validate(errors.Nested("tls"));
        Retry.Validate(errors.Nested("retry_on_failure"));
        Queue.Validate(errors.Nested("sending_queue"));
    }

    /// <summary>The endpoint without an <c>http://</c>, <c>https://</c> or <c>dns:///</c> prefix (otelcol's sanitizedEndpoint).</summary>
    internal static string SanitizedEndpoint(string endpoint)
    {
        if (endpoint.StartsWith("http://", StringComparison.Ordinal))
        {
            return endpoint["http://".Length..];
        }

        if (endpoint.StartsWith("https://", StringComparison.Ordinal))
        {
            return endpoint["https://".Length..];
        }

        if (endpoint.StartsWith("dns://", StringComparison.Ordinal))
        {
            string rest = endpoint["dns://".Length..];
            return rest.StartsWith('/') ? rest[1..] : rest;
        }

        return endpoint;
    }

    /// <summary>Go's net.SplitHostPort for the shapes an endpoint takes: <c>host:port</c>, <c>[v6]:port</c>.</summary>
    internal static bool TrySplitHostPort(string address, out string host, out string port)
    {
        host = string.Empty;
        port = string.Empty;
        int colon = address.LastIndexOf(':');
        if (colon < 0)
        {
            return false;
        }

        host = address[..colon];
        port = address[(colon + 1)..];
        if (host.StartsWith('['))
        {
            if (!host.EndsWith(']'))
            {
                return false;
            }

            host = host[1..^1];
        }
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            return false;
        }

        return true;
    }

    private static bool Contains(IReadOnlyList<string> list, string value)
    {
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
            {
                return true;
            }
        }

        return false;
    }
}
