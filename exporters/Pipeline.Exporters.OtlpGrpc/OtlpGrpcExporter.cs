using System.IO.Compression;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Compression;
using Microsoft.Extensions.Logging;
using Pipeline.Abstractions;
using Pipeline.Exporters.Helper;
using Pipeline.Telemetry;

namespace Pipeline.Exporters.OtlpGrpc;

/// <summary>Sends one signal over OTLP/gRPC through the exporter helper's queue → retry → timeout chain.</summary>
/// <typeparam name="T">The signal's batch type.</typeparam>
internal sealed partial class OtlpGrpcExporter<T> : IExporter<T>, IPersistingConsumer
    where T : TelemetryData
{
    // grpc-dotnet's per-call request compression switch (sets grpc-encoding and compresses the message).
    private const string RequestEncodingHeader = "grpc-internal-encoding-request";

    private readonly ComponentSettings _settings;
    private readonly OtlpGrpcConfig _config;
    private readonly ExportChain<T> _chain;
    private readonly Method<T, PartialSuccess> _method;
    private readonly Metadata _headers;
    private readonly string _droppedField;
    private GrpcChannel? _channel;
    private CallInvoker? _invoker;

    public OtlpGrpcExporter(ComponentSettings settings, OtlpGrpcConfig config)
    {
        _settings = settings;
        _config = config;
        _method = OtlpGrpcSignal.MethodFor<T>();
        _chain = new ExportChain<T>(settings, config.Timeout, config.Retry, config.Queue, PushAsync);
        _droppedField = OtlpGrpcSignal.DroppedField(_chain.ObsReport.Signal);
        _headers = [];
        foreach (var header in config.Headers)
        {
            _headers.Add(header.Key.ToLowerInvariant(), header.Value);
        }

        if (config.Compression is "gzip" or "zstd")
        {
            _headers.Add(RequestEncodingHeader, config.Compression);
        }
    }

    /// <inheritdoc />
    public ConsumerCapabilities Capabilities => ConsumerCapabilities.ReadOnly;

    /// <inheritdoc />
    public bool PersistsBeforeReturning => _chain.IsPersistent;

    /// <summary>The target the channel dials, e.g. <c>https://collector:4317</c>.</summary>
    internal string Target => (_config.Tls.Insecure ? "http://" : "https://") + OtlpGrpcConfig.SanitizedEndpoint(_config.Endpoint);

    /// <inheritdoc />
    public async Task StartAsync(IComponentHost host, CancellationToken cancellationToken)
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        };
        if (!_config.Tls.Insecure)
        {
            handler.SslOptions = _config.Tls.CreateSslOptions();
        }

        if (_config.Keepalive is { } keepalive)
        {
            handler.KeepAlivePingDelay = keepalive.Time > TimeSpan.Zero ? keepalive.Time : TimeSpan.FromSeconds(10);
            handler.KeepAlivePingTimeout = keepalive.Timeout > TimeSpan.Zero ? keepalive.Timeout : TimeSpan.FromSeconds(20);
            handler.KeepAlivePingPolicy = keepalive.PermitWithoutStream ? HttpKeepAlivePingPolicy.Always : HttpKeepAlivePingPolicy.WithActiveRequests;
        }

        string? authority = _config.Authority.Length > 0 ? _config.Authority : null;
        var outer = new ClientHeadersHandler("Pipeline/" + _settings.BuildVersion, authority) { InnerHandler = handler };
        _channel = GrpcChannel.ForAddress(Target, new GrpcChannelOptions
        {
            HttpHandler = outer,
            DisposeHttpClient = true,
            ThrowOperationCanceledOnCancellation = true,
            MaxSendMessageSize = null,
            CompressionProviders = [new GzipCompressionProvider(CompressionLevel.Fastest), new ZstdCompressionProvider()],
        });
        _invoker = _channel.CreateCallInvoker();
        Log.Starting(_settings.Logger, Target, _config.Compression.Length == 0 ? "none" : _config.Compression);
        await _chain.StartAsync(host, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask ConsumeAsync(T data, CancellationToken cancellationToken) => _chain.ConsumeAsync(data, cancellationToken);

    /// <inheritdoc />
    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        await _chain.ShutdownAsync(cancellationToken).ConfigureAwait(false);
        _channel?.Dispose();
        _channel = null;
    }

    private async ValueTask PushAsync(T data, CancellationToken cancellationToken)
    {
        var invoker = _invoker ?? throw new ConsumerException(StatusCode.Unavailable, "exporter is not started");
        var options = new CallOptions(_headers, cancellationToken: cancellationToken);
        if (_config.WaitForReady)
        {
            options = options.WithWaitForReady(true);
        }

        PartialSuccess response;
        try
        {
            using var call = invoker.AsyncUnaryCall(_method, null, options, data);
            response = await call.ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw GrpcErrors.Classify(e);
        }

        if (response.Rejected > 0 || response.Message.Length > 0)
        {
            Log.PartialSuccess(_settings.Logger, response.Message, _droppedField, response.Rejected);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = OtlpGrpcEventIds.PartialSuccess, Level = LogLevel.Warning, Message = "Partial success response (message: {Message}, {DroppedField}: {Dropped})")]
        public static partial void PartialSuccess(ILogger logger, string message, string droppedField, long dropped);

        [LoggerMessage(EventId = OtlpGrpcEventIds.Connecting, Level = LogLevel.Debug, Message = "Exporting over OTLP/gRPC. (target: {Target}, compression: {Compression})")]
        public static partial void Starting(ILogger logger, string target, string compression);
    }
}
