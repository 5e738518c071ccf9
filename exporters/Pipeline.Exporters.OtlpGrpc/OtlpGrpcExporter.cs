using Google.Protobuf;
using Grpc.Core;
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
    private readonly ComponentSettings _settings;
    private readonly OtlpGrpcConfig _config;
    private readonly ExportChain<T> _chain;
    private readonly Signal _signal;
    private readonly List<KeyValuePair<string, string>> _headers = [];
    private readonly string? _compression;
    private readonly string _droppedField;
    private HttpMessageInvoker? _invoker;
    private Uri? _uri;

    public OtlpGrpcExporter(ComponentSettings settings, OtlpGrpcConfig config)
    {
        _settings = settings;
        _config = config;
        _chain = new ExportChain<T>(settings, config.Timeout, config.Retry, config.Queue, PushAsync);
        _signal = _chain.ObsReport.Signal;
        _droppedField = OtlpGrpcSignal.DroppedField(_signal);
        foreach (var header in config.Headers)
        {
            _headers.Add(new(header.Key.ToLowerInvariant(), header.Value));
        }

        _compression = config.Compression is "gzip" or "zstd" ? config.Compression : null;
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
        _uri = new Uri(new Uri(Target), OtlpGrpcSignal.PathFor(_signal));
        _invoker = new HttpMessageInvoker(outer, disposeHandler: true);
        Log.Starting(_settings.Logger, Target, _config.Compression.Length == 0 ? "none" : _config.Compression);
        await _chain.StartAsync(host, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask ConsumeAsync(T data, CancellationToken cancellationToken) => _chain.ConsumeAsync(data, cancellationToken);

    /// <inheritdoc />
    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        await _chain.ShutdownAsync(cancellationToken).ConfigureAwait(false);
        _invoker?.Dispose();
        _invoker = null;
    }

    private async ValueTask PushAsync(T data, CancellationToken cancellationToken)
    {
        var invoker = _invoker ?? throw new ConsumerException(StatusCode.Unavailable, "exporter is not started");
        PartialSuccess response;
        try
        {
            byte[] message = await SendAsync(invoker, data, cancellationToken).ConfigureAwait(false);
            response = OtlpGrpcSignal.ParseResponse(_signal, message);
        }
        catch (RpcException e)
        {
            throw GrpcErrors.Classify(e);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw GrpcErrors.Classify(new RpcException(new Status(StatusCode.Internal, "grpc: failed to unmarshal the received message: " + e.Message)));
        }

        if (response.Rejected > 0 || response.Message.Length > 0)
        {
            Log.PartialSuccess(_settings.Logger, response.Message, _droppedField, response.Rejected);
        }
    }

    // wait_for_ready: while the server cannot be reached, wait and try again (grpc-go's reconnect backoff: 1s, ×1.6,
    // at most 120s) until the attempt's timeout ends it; otherwise a connection failure is returned at once.
    private async Task<byte[]> SendAsync(HttpMessageInvoker invoker, T data, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                return await GrpcUnaryCall.SendAsync(invoker, _uri!, _headers, _compression, data, cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e) when (_config.WaitForReady && GrpcUnaryCall.IsConnectionError(e) && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(delay, _settings.TimeProvider, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min((long)(delay.Ticks * 1.6), TimeSpan.FromSeconds(120).Ticks));
            }
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
