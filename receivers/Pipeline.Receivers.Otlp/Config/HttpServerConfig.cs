using Pipeline.Abstractions.Configuration;

namespace Pipeline.Receivers.Otlp.Config;

/// <summary>The OTLP/HTTP server (<c>protocols::http</c>, otelcol's <c>confighttp.ServerConfig</c> plus the OTLP paths).</summary>
public sealed class HttpServerConfig
{
    /// <summary>Content-Encoding values otelcol knows.</summary>
    internal static readonly string[] KnownEncodings = ["", "gzip", "zstd", "zlib", "snappy", "deflate", "lz4", "x-snappy-framed"];

    /// <summary>The ones Pipeline can decode (and so the default list).</summary>
    internal static readonly string[] SupportedEncodings = ["", "gzip", "zstd", "zlib", "deflate"];

    /// <summary>Listen address <c>host:port</c> (or a socket path with <c>transport: unix</c>). Default <c>localhost:4318</c>.</summary>
    public string Endpoint { get; set; } = "localhost:4318";

    /// <summary>tcp, tcp4, tcp6 or unix. Default tcp.</summary>
    public string Transport { get; set; } = ServerTransport.Tcp;

    /// <summary>Path for trace exports; a missing leading <c>/</c> is added. Default <c>/v1/traces</c>.</summary>
    public string TracesUrlPath { get; set; } = "/v1/traces";

    /// <summary>Path for metric exports. Default <c>/v1/metrics</c>.</summary>
    public string MetricsUrlPath { get; set; } = "/v1/metrics";

    /// <summary>Path for log exports. Default <c>/v1/logs</c>.</summary>
    public string LogsUrlPath { get; set; } = "/v1/logs";

    /// <summary>Largest body accepted, in bytes, both as sent and after decompression; 0 or less means the default. Default 20971520 (20 MiB).</summary>
    public long MaxRequestBodySize { get; set; } = 20971520;

    /// <summary>Copy every request header (lower-cased name, all values) into the batch's <c>ClientInfo.Metadata</c>, for
    /// <c>batch.metadata_keys</c>, <c>from_context: metadata.x</c> and routing on <c>request["x"]</c>. Default false.</summary>
    public bool IncludeMetadata { get; set; }

    /// <summary>CORS; null (off) when not written.</summary>
    public CorsConfig? Cors { get; set; }

    /// <summary>TLS; null (plain HTTP) when not written.</summary>
    public TlsServerConfig? Tls { get; set; }

    /// <summary>Content-Encoding values accepted (<c>""</c> is an uncompressed body). Default <c>["", gzip, zstd, zlib, deflate]</c>.</summary>
    public List<string> CompressionAlgorithms { get; set; } = [.. SupportedEncodings];

    /// <summary>Headers added to every response. Default none.</summary>
    public Dictionary<string, string> ResponseHeaders { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Time allowed to read a request's headers; zero means Kestrel's 30s. Default 0.</summary>
    public TimeSpan ReadHeaderTimeout { get; set; }

    /// <summary>Time allowed to read a whole request; accepted, not applied (Kestrel has no equivalent). Default 0.</summary>
    public TimeSpan ReadTimeout { get; set; }

    /// <summary>Time allowed to write a response; accepted, not applied (Kestrel has no equivalent). Default 0.</summary>
    public TimeSpan WriteTimeout { get; set; }

    /// <summary>How long an idle keep-alive connection stays open; zero means Kestrel's 130s. Default 0.</summary>
    public TimeSpan IdleTimeout { get; set; }

    /// <summary>Whether connections are kept open between requests. Default true.</summary>
    public bool KeepAlivesEnabled { get; set; } = true;

    /// <summary>The body limit in force.</summary>
    internal long EffectiveMaxRequestBodySize => MaxRequestBodySize <= 0 ? 20971520 : MaxRequestBodySize;

    /// <summary>Reads the keys of <c>protocols::http</c>.</summary>
    public void Bind(ConfigSection s)
    {
        ArgumentNullException.ThrowIfNull(s);
        Endpoint = s.GetString("endpoint", Endpoint);
        Transport = s.GetEnum("transport", Transport, ServerTransport.All);
        TracesUrlPath = SanitizePath(s.GetString("traces_url_path", TracesUrlPath));
        MetricsUrlPath = SanitizePath(s.GetString("metrics_url_path", MetricsUrlPath));
        LogsUrlPath = SanitizePath(s.GetString("logs_url_path", LogsUrlPath));
        MaxRequestBodySize = s.GetInt64("max_request_body_size", MaxRequestBodySize);
        IncludeMetadata = s.GetBool("include_metadata", IncludeMetadata);
        if (s.GetSection("cors") is { } cors)
        {
            (Cors ??= new CorsConfig()).Bind(cors);
        }

        if (s.GetSection("tls") is { } tls)
        {
            (Tls ??= new TlsServerConfig()).Bind(tls);
        }

        CompressionAlgorithms = s.GetStringList("compression_algorithms", CompressionAlgorithms);
        ResponseHeaders = s.GetStringMap("response_headers", ResponseHeaders);
        ReadHeaderTimeout = s.GetDuration("read_header_timeout", ReadHeaderTimeout);
        ReadTimeout = s.GetDuration("read_timeout", ReadTimeout);
        WriteTimeout = s.GetDuration("write_timeout", WriteTimeout);
        IdleTimeout = s.GetDuration("idle_timeout", IdleTimeout);
        KeepAlivesEnabled = s.GetBool("keep_alives_enabled", KeepAlivesEnabled);
        UnsupportedKeys.Refuse(s);
        s.Finish();
    }

    /// <summary>Checks the endpoint, paths, encodings, CORS and TLS.</summary>
    public void Validate(ValidationErrors e)
    {
        ArgumentNullException.ThrowIfNull(e);
        ServerTransport.ValidateEndpoint(e, Transport, Endpoint, "localhost:4318");
        foreach (string encoding in CompressionAlgorithms)
        {
            if (Array.IndexOf(KnownEncodings, encoding) < 0)
            {
                e.Add("compression_algorithms", $"unsupported compression algorithm \"{encoding}\": use \"\", gzip, zstd, zlib or deflate.");
            }
            else if (Array.IndexOf(SupportedEncodings, encoding) < 0)
            {
                e.Add("compression_algorithms", $"compression algorithm \"{encoding}\" is not supported by Pipeline: use \"\", gzip, zstd, zlib or deflate.");
            }
        }

        Cors?.Validate(e.Nested("cors"));
        Tls?.Validate(e.Nested("tls"));
    }

    // otelcol's sanitizeURLPath: an absolute path is kept, anything else gets a leading slash.
    private static string SanitizePath(string path) => path.StartsWith('/') ? path : "/" + path;
}
