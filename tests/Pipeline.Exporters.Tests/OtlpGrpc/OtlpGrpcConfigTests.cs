using Pipeline.Abstractions;
using Pipeline.Exporters.OtlpGrpc;
using Pipeline.Telemetry;
using Pipeline.Testing;
using Xunit;

namespace Pipeline.Exporters.Tests.OtlpGrpc;

public sealed class OtlpGrpcConfigTests
{
    private const string Path = "exporters::otlp_grpc";

    [Fact]
    public void Factory_TypeAliasAndStability_MatchOtelcol()
    {
        var factory = new OtlpGrpcFactory();

        Assert.Equal("otlp_grpc", factory.Type);
        Assert.Equal(["otlp"], factory.DeprecatedAliases);
        Assert.Equal(ComponentKind.Exporter, factory.Kind);
        Assert.Equal(StabilityLevel.Stable, factory.Stability[Signal.Traces]);
        Assert.Equal(StabilityLevel.Stable, factory.Stability[Signal.Metrics]);
        Assert.Equal(StabilityLevel.Stable, factory.Stability[Signal.Logs]);
    }

    [Fact]
    public void CreateDefaultConfig_HasOtelcolDefaults()
    {
        var config = (OtlpGrpcConfig)new OtlpGrpcFactory().CreateDefaultConfig();

        Assert.Equal(string.Empty, config.Endpoint);
        Assert.Equal("gzip", config.Compression);
        Assert.Equal(524288, config.WriteBufferSize);
        Assert.Equal("round_robin", config.BalancerName);
        Assert.Null(config.Keepalive);
        Assert.False(config.Tls.Insecure);
        Assert.Equal("1.2", config.Tls.MinVersion);
        Assert.Equal(TimeSpan.FromSeconds(5), config.Timeout.Timeout);
        Assert.Empty(config.Headers);
    }

    [Fact]
    public void Accepts_EveryDocumentedKey()
    {
        var config = new OtlpGrpcConfig();

        var errors = Yaml.Load(Path, config, """
            endpoint: dns:///collector.example:4317
            tls:
              insecure: false
              insecure_skip_verify: false
              ca_file: /etc/ca.pem
              cert_file: /etc/client.pem
              key_file: /etc/client.key
              server_name_override: collector
              min_version: "1.3"
            headers:
              api-key: secret
            compression: zstd
            keepalive:
              time: 30s
              timeout: 5s
              permit_without_stream: true
            balancer_name: pick_first
            authority: collector.internal
            wait_for_ready: true
            read_buffer_size: 1024
            write_buffer_size: 2048
            timeout: 3s
            """);

        Assert.Empty(errors);
        Assert.Equal("zstd", config.Compression);
        Assert.Equal("secret", config.Headers["api-key"]);
        Assert.Equal(TimeSpan.FromSeconds(30), config.Keepalive!.Time);
        Assert.True(config.Keepalive.PermitWithoutStream);
        Assert.Equal("collector", config.Tls.ServerNameOverride);
        Assert.Equal("1.3", config.Tls.MinVersion);
        Assert.Equal(TimeSpan.FromSeconds(3), config.Timeout.Timeout);
        Assert.True(config.WaitForReady);
    }

    [Theory]
    [InlineData("compression: none")]
    [InlineData("endpoint: http://collector:4317")]
    [InlineData("endpoint: https://[::1]:4317")]
    public void Accepts_ValidVariants(string yaml)
    {
        var errors = Yaml.Load(Path, new OtlpGrpcConfig { Endpoint = "collector:4317" }, yaml);

        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("", "exporters::otlp_grpc: requires a non-empty \"endpoint\".")]
    [InlineData("endpoint: http://", "exporters::otlp_grpc: requires a non-empty \"endpoint\".")]
    [InlineData("endpoint: collector", "exporters::otlp_grpc::endpoint: address collector: missing port in address.")]
    [InlineData("endpoint: collector:grpc", "exporters::otlp_grpc::endpoint: invalid port \"grpc\".")]
    [InlineData("endpoint: collector:4317\ncompression: snappy", "exporters::otlp_grpc::compression: unsupported value \"snappy\": snappy is not implemented by this exporter; use gzip, zstd or none.")]
    [InlineData("endpoint: collector:4317\ncompression: brotli", "exporters::otlp_grpc::compression: unsupported value \"brotli\": must be one of gzip, zstd, snappy, none, .")]
    [InlineData("endpoint: collector:4317\nbalancer_name: random", "exporters::otlp_grpc::balancer_name: unsupported value \"random\": must be one of round_robin, pick_first.")]
    [InlineData("endpoint: collector:4317\ntls:\n  cert_file: /c.pem", "exporters::otlp_grpc::tls: for auth via TLS, provide both certificate and key, or neither.")]
    [InlineData("endpoint: collector:4317\ntls:\n  min_version: \"1.4\"", "exporters::otlp_grpc::tls: invalid TLS min_version: unsupported TLS version: \"1.4\"; use 1.0, 1.1, 1.2 or 1.3.")]
    [InlineData("endpoint: collector:4317\ntls:\n  insecure: true\n  insecure_skip: true", "exporters::otlp_grpc::tls: has invalid keys: insecure_skip.")]
    [InlineData("endpoint: collector:4317\nkeepalive:\n  interval: 1s", "exporters::otlp_grpc::keepalive: has invalid keys: interval.")]
    [InlineData("endpoint: collector:4317\nauth:\n  authenticator: oauth2client", "exporters::otlp_grpc: has invalid keys: auth.")]
    public void Rejects_InvalidConfig(string yaml, string expected)
    {
        var errors = Yaml.Load(Path, new OtlpGrpcConfig(), yaml);

        Assert.Equal([expected], errors);
    }
}
