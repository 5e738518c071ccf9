using Pipeline.Abstractions.Configuration;
using Pipeline.Exporters.Helper;
using Pipeline.Telemetry;

namespace Pipeline.Exporters.OtlpHttp;

/// <summary>What users write under <c>exporters::otlp_http</c> (otelcol's otlphttpexporter.Config).</summary>
public sealed class OtlpHttpConfig : IComponentConfig
{
    /// <summary>Compressions accepted in config; <c>snappy</c>, <c>lz4</c> and <c>x-snappy-framed</c> are refused by Validate.</summary>
    internal static readonly IReadOnlyList<string> Compressions = ["gzip", "zstd", "deflate", "zlib", "none", "", "snappy", "x-snappy-framed", "lz4"];

    private static readonly IReadOnlyList<string> Encodings = ["proto", "json"];

    /// <summary>Base URL; <c>/v1/traces</c>, <c>/v1/metrics</c>, <c>/v1/logs</c> are appended. The scheme decides TLS.</summary>
    public string Endpoint { get; set; } = string.Empty;

    /// <summary>Full URL for traces, overriding <see cref="Endpoint"/>.</summary>
    public string TracesEndpoint { get; set; } = string.Empty;

    /// <summary>Full URL for metrics, overriding <see cref="Endpoint"/>.</summary>
    public string MetricsEndpoint { get; set; } = string.Empty;

    /// <summary>Full URL for logs, overriding <see cref="Endpoint"/>.</summary>
    public string LogsEndpoint { get; set; } = string.Empty;

    /// <summary>Full URL for profiles (accepted; profiles are not a signal here).</summary>
    public string ProfilesEndpoint { get; set; } = string.Empty;

    /// <summary><c>proto</c> (default) or <c>json</c>.</summary>
    public string Encoding { get; set; } = "proto";

    /// <summary><c>gzip</c> (default), <c>zstd</c>, <c>deflate</c> (zlib format, as Go's), or <c>none</c>/empty.</summary>
    public string Compression { get; set; } = "gzip";

    /// <summary>Headers sent with every request. Default none.</summary>
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>TLS for <c>https://</c> URLs.</summary>
    public ClientTlsConfig Tls { get; set; } = new();

    /// <summary>Per-request timeout (<c>timeout</c>). Default 30s.</summary>
    public TimeoutConfig Timeout { get; set; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Read buffer size; accepted, the runtime sizes its own buffers. Default 0.</summary>
    public int ReadBufferSize { get; set; }

    /// <summary>Write buffer size; accepted, the runtime sizes its own buffers. Default 524288.</summary>
    public int WriteBufferSize { get; set; } = 512 * 1024;

    /// <summary>Idle connections kept; accepted (the pool keeps what it needs). Default 100.</summary>
    public int MaxIdleConns { get; set; } = 100;

    /// <summary>Idle connections kept per host; accepted. Default 0.</summary>
    public int MaxIdleConnsPerHost { get; set; }

    /// <summary>Connections per host; 0 = unlimited. Default 0.</summary>
    public int MaxConnsPerHost { get; set; }

    /// <summary>Close pooled connections idle this long. Default 90s.</summary>
    public TimeSpan IdleConnTimeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>One request per connection. Default false.</summary>
    public bool DisableKeepAlives { get; set; }

    /// <summary>HTTP/2 ping after this long without frames; 0 = off. Default 0.</summary>
    public TimeSpan Http2ReadIdleTimeout { get; set; }

    /// <summary>HTTP/2 ping answer timeout. Default 0 (15s).</summary>
    public TimeSpan Http2PingTimeout { get; set; }

    /// <summary>Negotiate HTTP/2 over TLS when the server offers it. Default true.</summary>
    public bool ForceAttemptHttp2 { get; set; } = true;

    /// <summary><c>retry_on_failure</c>.</summary>
    public RetryConfig Retry { get; set; } = new();

    /// <summary><c>sending_queue</c>.</summary>
    public QueueConfig Queue { get; set; } = new();

    /// <inheritdoc />
    public void Bind(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        Endpoint = section.GetString("endpoint", Endpoint);
        TracesEndpoint = section.GetString("traces_endpoint", TracesEndpoint);
        MetricsEndpoint = section.GetString("metrics_endpoint", MetricsEndpoint);
        LogsEndpoint = section.GetString("logs_endpoint", LogsEndpoint);
        ProfilesEndpoint = section.GetString("profiles_endpoint", ProfilesEndpoint);
        Encoding = section.GetEnum("encoding", Encoding, Encodings);
        Compression = section.GetEnum("compression", Compression, Compressions);
        Headers = section.GetStringMap("headers", Headers);
        Tls.Bind(section.GetSection("tls"));
        Timeout.Bind(section);
        ReadBufferSize = section.GetInt32("read_buffer_size", ReadBufferSize, min: 0);
        WriteBufferSize = section.GetInt32("write_buffer_size", WriteBufferSize, min: 0);
        MaxIdleConns = section.GetInt32("max_idle_conns", MaxIdleConns, min: 0);
        MaxIdleConnsPerHost = section.GetInt32("max_idle_conns_per_host", MaxIdleConnsPerHost, min: 0);
        MaxConnsPerHost = section.GetInt32("max_conns_per_host", MaxConnsPerHost, min: 0);
        IdleConnTimeout = section.GetDuration("idle_conn_timeout", IdleConnTimeout);
        DisableKeepAlives = section.GetBool("disable_keep_alives", DisableKeepAlives);
        Http2ReadIdleTimeout = section.GetDuration("http2_read_idle_timeout", Http2ReadIdleTimeout);
        Http2PingTimeout = section.GetDuration("http2_ping_timeout", Http2PingTimeout);
        ForceAttemptHttp2 = section.GetBool("force_attempt_http2", ForceAttemptHttp2);
        Retry.Bind(section.GetSection("retry_on_failure"));
        Queue.Bind(section.GetSection("sending_queue"));
        section.Finish();
    }

    /// <inheritdoc />
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (Endpoint.Length == 0 && TracesEndpoint.Length == 0 && MetricsEndpoint.Length == 0 && LogsEndpoint.Length == 0 && ProfilesEndpoint.Length == 0)
        {
            errors.Add(string.Empty, "at least one endpoint must be specified.");
        }

        CheckUrl(errors, "endpoint", Endpoint);
        CheckUrl(errors, "traces_endpoint", TracesEndpoint);
        CheckUrl(errors, "metrics_endpoint", MetricsEndpoint);
        CheckUrl(errors, "logs_endpoint", LogsEndpoint);
        CheckUrl(errors, "profiles_endpoint", ProfilesEndpoint);
        if (Compression is "snappy" or "x-snappy-framed" or "lz4")
        {
            errors.Add("compression", $"unsupported value \"{Compression}\": {Compression} is not implemented by this exporter; use gzip, zstd, deflate or none.");
        }

        Tls.Validate(errors.Nested("tls"));
        Retry.Validate(errors.Nested("retry_on_failure"));
        Queue.Validate(errors.Nested("sending_queue"));
    }

    /// <summary>The URL a signal is sent to: its own endpoint, else <c>endpoint</c> + <c>/v1/&lt;signal&gt;</c>
    /// (without a double slash); empty when neither is set.</summary>
    public string UrlFor(Signal signal)
    {
        string own = signal switch
        {
            Signal.Traces => TracesEndpoint,
            Signal.Metrics => MetricsEndpoint,
            _ => LogsEndpoint,
        };
        if (own.Length > 0)
        {
            return own;
        }

        if (Endpoint.Length == 0)
        {
            return string.Empty;
        }

        string path = "v1/" + signal.ToName();
        return Endpoint.EndsWith('/') ? Endpoint + path : Endpoint + "/" + path;
    }

    private static void CheckUrl(ValidationErrors errors, string key, string value)
    {
        if (value.Length == 0)
        {
            return;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add(key, $"invalid URL \"{value}\": must be an absolute URL with scheme http or https.");
        }
    }
}
