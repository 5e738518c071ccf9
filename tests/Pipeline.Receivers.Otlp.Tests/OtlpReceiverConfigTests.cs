using Pipeline.Receivers.Otlp.Config;
using Xunit;
using static Pipeline.Receivers.Otlp.Tests.ConfigTree;

namespace Pipeline.Receivers.Otlp.Tests;

public sealed class OtlpReceiverConfigTests
{
    [Fact]
    public void Accepts_NullGrpcKey_EnablesGrpcWithDefaults()
    {
        var (config, errors) = BindProtocol("grpc", Null);

        Assert.Empty(errors);
        Assert.Null(config.Http);
        var grpc = Assert.IsType<GrpcServerConfig>(config.Grpc);
        Assert.Equal("localhost:4317", grpc.Endpoint);
        Assert.Equal("tcp", grpc.Transport);
        Assert.Equal(4, grpc.MaxRecvMsgSizeMiB);
        Assert.Equal(4 << 20, grpc.MaxRecvMsgSizeBytes);
        Assert.Equal(524288, grpc.ReadBufferSize);
        Assert.Null(grpc.Tls);
        Assert.Null(grpc.Keepalive);
    }

    [Fact]
    public void Accepts_NullHttpKey_EnablesHttpWithDefaults()
    {
        var (config, errors) = BindProtocol("http", Null);

        Assert.Empty(errors);
        Assert.Null(config.Grpc);
        var http = Assert.IsType<HttpServerConfig>(config.Http);
        Assert.Equal("localhost:4318", http.Endpoint);
        Assert.Equal("/v1/traces", http.TracesUrlPath);
        Assert.Equal("/v1/metrics", http.MetricsUrlPath);
        Assert.Equal("/v1/logs", http.LogsUrlPath);
        Assert.Equal(20971520, http.MaxRequestBodySize);
        Assert.Equal(["", "gzip", "zstd", "zlib", "deflate"], http.CompressionAlgorithms);
        Assert.Null(http.Cors);
        Assert.True(http.KeepAlivesEnabled);
    }

    [Fact]
    public void Accepts_EveryKey()
    {
        var (config, errors) = Bind(Map(("protocols", Map(
            ("grpc", Map(
                ("endpoint", S("0.0.0.0:14317")),
                ("transport", S("tcp")),
                ("max_recv_msg_size_mib", S("16")),
                ("max_concurrent_streams", S("50")),
                ("read_buffer_size", S("1024")),
                ("write_buffer_size", S("2048")),
                ("include_metadata", S("true")),
                ("keepalive", Map(
                    ("server_parameters", Map(("max_connection_idle", S("11s")), ("max_connection_age", S("12s")), ("max_connection_age_grace", S("13s")), ("time", S("30s")), ("timeout", S("5s")))),
                    ("enforcement_policy", Map(("min_time", S("10s")), ("permit_without_stream", S("true")))))),
                ("tls", Map(("cert_file", S("/c.pem")), ("key_file", S("/k.pem")), ("client_ca_file", S("/ca.pem")), ("min_version", S("1.3")), ("reload_interval", S("1h")))))),
            ("http", Map(
                ("endpoint", S("[::1]:14318")),
                ("traces_url_path", S("t")),
                ("metrics_url_path", S("/m")),
                ("logs_url_path", S("l/x")),
                ("max_request_body_size", S("1000")),
                ("include_metadata", S("true")),
                ("cors", Map(("allowed_origins", List("http://*", "https://*")), ("allowed_headers", List("X-Tenant")), ("exposed_headers", List("X-Id")), ("max_age", S("7200")))),
                ("compression_algorithms", List("", "gzip")),
                ("response_headers", Map(("X-A", S("b")))),
                ("read_header_timeout", S("2s")),
                ("read_timeout", S("3s")),
                ("write_timeout", S("4s")),
                ("idle_timeout", S("5s")),
                ("keep_alives_enabled", S("false"))))))));

        Assert.Empty(errors);
        var grpc = config.Grpc!;
        Assert.Equal("0.0.0.0:14317", grpc.Endpoint);
        Assert.Equal(16, grpc.MaxRecvMsgSizeMiB);
        Assert.Equal(50, grpc.MaxConcurrentStreams);
        Assert.True(grpc.IncludeMetadata);
        Assert.Equal(TimeSpan.FromSeconds(11), grpc.Keepalive!.MaxConnectionIdle);
        Assert.Equal(TimeSpan.FromSeconds(30), grpc.Keepalive.Time);
        Assert.True(grpc.Keepalive.PermitWithoutStream);
        Assert.Equal("1.3", grpc.Tls!.MinVersion);
        Assert.Equal(TimeSpan.FromHours(1), grpc.Tls.ReloadInterval);
        var http = config.Http!;
        Assert.Equal("/t", http.TracesUrlPath);
        Assert.Equal("/m", http.MetricsUrlPath);
        Assert.Equal("/l/x", http.LogsUrlPath);
        Assert.Equal(1000, http.MaxRequestBodySize);
        Assert.Equal(["http://*", "https://*"], http.Cors!.AllowedOrigins);
        Assert.Equal(7200, http.Cors.MaxAge);
        Assert.Equal(["", "gzip"], http.CompressionAlgorithms);
        Assert.Equal("b", http.ResponseHeaders["X-A"]);
        Assert.False(http.KeepAlivesEnabled);
        Assert.Equal(TimeSpan.FromSeconds(5), http.IdleTimeout);
    }

    [Fact]
    public void Rejects_NoProtocols()
    {
        var (_, errors) = Bind(null);

        Assert.Equal(["receivers::otlp: must specify at least one protocol when using the OTLP receiver."], errors);
    }

    [Fact]
    public void Rejects_EmptyProtocols()
    {
        var (_, errors) = Bind(Map(("protocols", Null)));

        Assert.Equal(["receivers::otlp: must specify at least one protocol when using the OTLP receiver."], errors);
    }

    [Fact]
    public void Rejects_MisspelledProtocol()
    {
        var (_, errors) = Bind(Map(("protocols", Map(("htttp", Null)))));

        Assert.Equal(
            [
                "receivers::otlp::protocols: has invalid keys: htttp.",
                "receivers::otlp: must specify at least one protocol when using the OTLP receiver.",
            ],
            errors);
    }

    [Fact]
    public void Rejects_UnknownKeyInGrpc()
    {
        var (_, errors) = BindProtocol("grpc", Map(("endpoint", S("localhost:1")), ("max_recv_msg_size", S("4"))));

        Assert.Equal(["receivers::otlp::protocols::grpc: has invalid keys: max_recv_msg_size."], errors);
    }

    [Theory]
    [InlineData("localhost:4317")]
    [InlineData("0.0.0.0:4317")]
    [InlineData("[::1]:4317")]
    [InlineData(":4317")]
    [InlineData("localhost:0")]
    [InlineData("collector.internal:65535")]
    public void Accepts_Endpoint(string endpoint)
    {
        var (config, errors) = BindProtocol("grpc", Map(("endpoint", S(endpoint))));

        Assert.Empty(errors);
        Assert.Equal(endpoint, config.Grpc!.Endpoint);
    }

    [Theory]
    [InlineData("localhost", "missing port in address")]
    [InlineData("[::1:4317", "missing ']' in address")]
    [InlineData("::1:4317", "too many colons in address")]
    [InlineData("localhost:65536", "invalid port \"65536\"")]
    [InlineData("localhost:http", "invalid port \"http\"")]
    [InlineData("[::1]", "missing port in address")]
    public void Rejects_InvalidEndpoint(string endpoint, string reason)
    {
        var (_, errors) = BindProtocol("http", Map(("endpoint", S(endpoint))));

        Assert.Equal([$"receivers::otlp::protocols::http::endpoint: invalid endpoint \"{endpoint}\": {reason}; use host:port such as localhost:4318."], errors);
    }

    [Fact]
    public void Rejects_UnknownTransport()
    {
        var (_, errors) = BindProtocol("grpc", Map(("transport", S("udp"))));

        Assert.Equal(["receivers::otlp::protocols::grpc::transport: unsupported value \"udp\": must be one of tcp, tcp4, tcp6, unix."], errors);
    }

    [Fact]
    public void Rejects_NegativeMessageSize()
    {
        var (_, errors) = BindProtocol("grpc", Map(("max_recv_msg_size_mib", S("-1"))));

        Assert.Equal(["receivers::otlp::protocols::grpc::max_recv_msg_size_mib: -1 is out of range: must be between 0 and 2047."], errors);
    }

    [Fact]
    public void Rejects_TlsCertWithoutKey()
    {
        var (_, errors) = BindProtocol("grpc", Map(("tls", Map(("cert_file", S("/c.pem"))))));

        Assert.Equal(["receivers::otlp::protocols::grpc::tls: for auth via TLS, provide both certificate and key, or neither."], errors);
    }

    [Fact]
    public void Rejects_TlsWithoutCertificate()
    {
        var (_, errors) = BindProtocol("http", Map(("tls", Map(("client_ca_file", S("/ca.pem"))))));

        Assert.Equal(["receivers::otlp::protocols::http::tls: a TLS server needs a certificate and a key: set cert_file and key_file (or cert_pem and key_pem)."], errors);
    }

    [Fact]
    public void Rejects_TlsVersions()
    {
        var (_, errors) = BindProtocol("http", Map(("tls", Map(("cert_file", S("/c")), ("key_file", S("/k")), ("min_version", S("1.4")), ("max_version", S("1.1"))))));

        Assert.Equal(["receivers::otlp::protocols::http::tls::min_version: invalid TLS min_version: unsupported TLS version: \"1.4\"; use 1.0, 1.1, 1.2 or 1.3."], errors);
    }

    [Fact]
    public void Rejects_TlsMinAboveMax()
    {
        var (_, errors) = BindProtocol("http", Map(("tls", Map(("cert_file", S("/c")), ("key_file", S("/k")), ("min_version", S("1.3")), ("max_version", S("1.2"))))));

        Assert.Equal(["receivers::otlp::protocols::http::tls: invalid TLS configuration: min_version (1.3) cannot be greater than max_version (1.2)."], errors);
    }

    [Fact]
    public void Rejects_TlsUnknownCipherSuite()
    {
        var (_, errors) = BindProtocol("grpc", Map(("tls", Map(("cert_file", S("/c")), ("key_file", S("/k")), ("cipher_suites", List("TLS_AES_128_GCM_SHA256", "TLS_FAST"))))));

        Assert.Equal(["receivers::otlp::protocols::grpc::tls::cipher_suites: invalid TLS cipher suite: \"TLS_FAST\"; use an IANA name such as TLS_AES_128_GCM_SHA256."], errors);
    }

    [Fact]
    public void Rejects_Auth()
    {
        var (_, errors) = BindProtocol("http", Map(("auth", Map(("authenticator", S("basicauth"))))));

        Assert.Equal(["receivers::otlp::protocols::http::auth: authenticator extensions are not supported by Pipeline; remove auth."], errors);
    }

    [Fact]
    public void Rejects_CompressionPipelineCannotDecode()
    {
        var (_, errors) = BindProtocol("http", Map(("compression_algorithms", List("gzip", "snappy", "brotli"))));

        Assert.Equal(
            [
                "receivers::otlp::protocols::http::compression_algorithms: compression algorithm \"snappy\" is not supported by Pipeline: use \"\", gzip, zstd, zlib or deflate.",
                "receivers::otlp::protocols::http::compression_algorithms: unsupported compression algorithm \"brotli\": use \"\", gzip, zstd, zlib or deflate.",
            ],
            errors);
    }

    [Fact]
    public void Rejects_CorsOriginWithTwoWildcards()
    {
        var (_, errors) = BindProtocol("http", Map(("cors", Map(("allowed_origins", List("https://*.*.example.com"))))));

        Assert.Equal(["receivers::otlp::protocols::http::cors::allowed_origins: origin \"https://*.*.example.com\" has more than one '*': use at most one wildcard per origin."], errors);
    }

    [Fact]
    public void Rejects_UnknownKeepaliveKey()
    {
        var (_, errors) = BindProtocol("grpc", Map(("keepalive", Map(("server_parameters", Map(("idle", S("1s"))))))));

        Assert.Equal(["receivers::otlp::protocols::grpc::keepalive::server_parameters: has invalid keys: idle."], errors);
    }

    [Fact]
    public void Accepts_UnixTransportWithPath()
    {
        var (config, errors) = BindProtocol("http", Map(("transport", S("unix")), ("endpoint", S("/run/otlp.sock"))));

        Assert.Empty(errors);
        Assert.Equal("unix", config.Http!.Transport);
    }
}
