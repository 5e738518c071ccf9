using Pipeline.Exporters.OtlpHttp;
using Pipeline.Telemetry;
using Pipeline.Testing;
using Xunit;

namespace Pipeline.Exporters.Tests.OtlpHttp;

public sealed class OtlpHttpConfigTests
{
    private const string Path = "exporters::otlp_http";

    [Fact]
    public void Factory_TypeAndAlias_MatchOtelcol()
    {
        var factory = new OtlpHttpFactory();

        Assert.Equal("otlp_http", factory.Type);
        Assert.Equal(["otlphttp"], factory.DeprecatedAliases);
        Assert.Equal(3, factory.Stability.Count);
    }

    [Fact]
    public void CreateDefaultConfig_HasOtelcolDefaults()
    {
        var config = (OtlpHttpConfig)new OtlpHttpFactory().CreateDefaultConfig();

        Assert.Equal("proto", config.Encoding);
        Assert.Equal("gzip", config.Compression);
        Assert.Equal(TimeSpan.FromSeconds(30), config.Timeout.Timeout);
        Assert.Equal(524288, config.WriteBufferSize);
        Assert.Equal(100, config.MaxIdleConns);
        Assert.Equal(TimeSpan.FromSeconds(90), config.IdleConnTimeout);
        Assert.True(config.ForceAttemptHttp2);
        Assert.True(config.Retry.Enabled);
        Assert.True(config.Queue.Enabled);
        Assert.Equal(1000, config.Queue.QueueSize);
    }

    [Theory]
    [InlineData("http://collector:4318", Signal.Traces, "http://collector:4318/v1/traces")]
    [InlineData("http://collector:4318/", Signal.Metrics, "http://collector:4318/v1/metrics")]
    [InlineData("https://otlp.example/prefix", Signal.Logs, "https://otlp.example/prefix/v1/logs")]
    public void UrlFor_BaseEndpoint_AppendsSignalPathWithoutDoubleSlash(string endpoint, Signal signal, string expected)
    {
        var config = new OtlpHttpConfig { Endpoint = endpoint };

        Assert.Equal(expected, config.UrlFor(signal));
    }

    [Fact]
    public void UrlFor_SignalEndpoint_IsUsedAsIs()
    {
        var config = new OtlpHttpConfig { Endpoint = "http://collector:4318", LogsEndpoint = "http://logs:9000/ingest" };

        Assert.Equal("http://logs:9000/ingest", config.UrlFor(Signal.Logs));
        Assert.Equal("http://collector:4318/v1/traces", config.UrlFor(Signal.Traces));
    }

    [Fact]
    public void Accepts_EveryDocumentedKey()
    {
        var config = new OtlpHttpConfig();

        var errors = Yaml.Load(Path, config, """
            endpoint: https://otlp.example:4318
            traces_endpoint: https://traces.example/v1/traces
            metrics_endpoint: https://metrics.example/v1/metrics
            logs_endpoint: https://logs.example/v1/logs
            encoding: json
            compression: deflate
            headers:
              authorization: Bearer x
            timeout: 10s
            tls:
              ca_file: /etc/ca.pem
            read_buffer_size: 0
            write_buffer_size: 1024
            max_idle_conns: 10
            max_idle_conns_per_host: 2
            max_conns_per_host: 5
            idle_conn_timeout: 30s
            disable_keep_alives: false
            http2_read_idle_timeout: 10s
            http2_ping_timeout: 5s
            force_attempt_http2: false
            retry_on_failure:
              max_elapsed_time: 60s
            sending_queue:
              num_consumers: 2
            """);

        Assert.Empty(errors);
        Assert.Equal("json", config.Encoding);
        Assert.Equal("deflate", config.Compression);
        Assert.Equal(TimeSpan.FromSeconds(10), config.Timeout.Timeout);
        Assert.Equal(5, config.MaxConnsPerHost);
        Assert.Equal(2, config.Queue.NumConsumers);
    }

    [Theory]
    [InlineData("compression: none", "exporters::otlp_http: at least one endpoint must be specified.")]
    [InlineData("endpoint: collector:4318", "exporters::otlp_http::endpoint: invalid URL \"collector:4318\": must be an absolute URL with scheme http or https.")]
    [InlineData("traces_endpoint: ftp://x/v1/traces", "exporters::otlp_http::traces_endpoint: invalid URL \"ftp://x/v1/traces\": must be an absolute URL with scheme http or https.")]
    [InlineData("endpoint: http://c:4318\nencoding: yaml", "exporters::otlp_http::encoding: unsupported value \"yaml\": must be one of proto, json.")]
    [InlineData("endpoint: http://c:4318\ncompression: snappy", "exporters::otlp_http::compression: unsupported value \"snappy\": snappy is not implemented by this exporter; use gzip, zstd, deflate or none.")]
    [InlineData("endpoint: http://c:4318\nsending_queue:\n  num_consumers: -1", "exporters::otlp_http::sending_queue: `num_consumers` must be positive.")]
    [InlineData("endpoint: http://c:4318\nendpoints: x", "exporters::otlp_http: has invalid keys: endpoints.")]
    public void Rejects_InvalidConfig(string yaml, string expected)
    {
        var errors = Yaml.Load(Path, new OtlpHttpConfig(), yaml);

        Assert.Equal([expected], errors);
    }
}
