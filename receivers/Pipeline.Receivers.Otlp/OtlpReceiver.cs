using System.IO.Compression;
using System.Net;
using Grpc.AspNetCore.Server.Model;
using Grpc.Net.Compression;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Abstractions;
using Pipeline.Receivers.Otlp.Config;
using Pipeline.Receivers.Otlp.Grpc;
using Pipeline.Receivers.Otlp.Http;
using Pipeline.Telemetry;

namespace Pipeline.Receivers.Otlp;

/// <summary>
/// The OTLP receiver: one gRPC server and one HTTP server (each only if configured) shared by every signal the
/// receiver ID serves. Each signal registers its next consumer before start; start binds once, shutdown stops once.
/// </summary>
internal sealed partial class OtlpReceiver : IReceiver
{
    private readonly ComponentSettings _settings;
    private readonly OtlpReceiverConfig _config;
    private readonly Action<OtlpReceiver>? _onShutdown;
    private readonly object _gate = new();
    private IConsumer<Traces>? _traces;
    private IConsumer<Metrics>? _metrics;
    private IConsumer<Logs>? _logs;
    private WebApplication? _grpcApp;
    private WebApplication? _httpApp;
    private ListenOptions? _grpcListen;
    private ListenOptions? _httpListen;
    private bool _started;
    private bool _stopped;

    public OtlpReceiver(ComponentSettings settings, OtlpReceiverConfig config, Action<OtlpReceiver>? onShutdown = null)
    {
        _settings = settings;
        _config = config;
        _onShutdown = onShutdown;
    }

    /// <summary>The gRPC listener's bound address after start (the real port when 0 was configured); null for unix sockets or when off.</summary>
    public IPEndPoint? GrpcEndPoint => _grpcListen?.IPEndPoint;

    /// <summary>The HTTP listener's bound address after start; null for unix sockets or when off.</summary>
    public IPEndPoint? HttpEndPoint => _httpListen?.IPEndPoint;

    /// <summary>Sets the next consumer of one signal; must happen before start.</summary>
    public void Register<T>(IConsumer<T> next)
        where T : TelemetryData
    {
        ArgumentNullException.ThrowIfNull(next);
        lock (_gate)
        {
            if (_started)
            {
                throw new InvalidOperationException("The OTLP receiver is already started; consumers must be registered before start.");
            }

            switch (next)
            {
                case IConsumer<Traces> traces when typeof(T) == typeof(Traces):
                    _traces = traces;
                    break;
                case IConsumer<Metrics> metrics when typeof(T) == typeof(Metrics):
                    _metrics = metrics;
                    break;
                case IConsumer<Logs> logs when typeof(T) == typeof(Logs):
                    _logs = logs;
                    break;
                default:
                    throw new ArgumentException($"The OTLP receiver does not take {typeof(T).Name}.", nameof(next));
            }
        }
    }

    /// <inheritdoc />
    public async Task StartAsync(IComponentHost host, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_started)
            {
                return;
            }

            _started = true;
        }

        var signals = new List<Signal>(3);
        if (_traces is not null)
        {
            signals.Add(Signal.Traces);
        }

        if (_metrics is not null)
        {
            signals.Add(Signal.Metrics);
        }

        if (_logs is not null)
        {
            signals.Add(Signal.Logs);
        }

        try
        {
            if (_config.Grpc is { } grpc)
            {
                Log.StartingGrpcServer(_settings.Logger, grpc.Endpoint);
                _grpcApp = await StartGrpcAsync(grpc, signals, cancellationToken).ConfigureAwait(false);
            }

            if (_config.Http is { } http)
            {
                Log.StartingHttpServer(_settings.Logger, http.Endpoint);
                _httpApp = await StartHttpAsync(http, signals, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await StopAppsAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
        }

        try
        {
            await StopAppsAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _onShutdown?.Invoke(this);
        }
    }

    /// <summary>Hands a decoded-or-encoded batch to its signal's consumer and counts the outcome; null on success.</summary>
    internal async ValueTask<ExportError?> ExportAsync(TelemetryData data, ReceiverObsReport obs, CancellationToken cancellationToken)
    {
        int items = data.ItemCount;
        try
        {
            switch (data)
            {
                case Traces traces:
                    await _traces!.ConsumeAsync(traces, cancellationToken).ConfigureAwait(false);
                    break;
                case Metrics metrics:
                    await _metrics!.ConsumeAsync(metrics, cancellationToken).ConfigureAwait(false);
                    break;
                case Logs logs:
                    await _logs!.ConsumeAsync(logs, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
#pragma warning disable CA1031 // Any consumer failure is answered to the client as a status, never crashes the server.
        catch (Exception e)
#pragma warning restore CA1031
        {
            obs.Refused(data.Signal, items);
            return ExportError.From(e);
        }

        obs.Accepted(data.Signal, items);
        return null;
    }

    private async Task<WebApplication> StartGrpcAsync(GrpcServerConfig config, List<Signal> signals, CancellationToken cancellationToken)
    {
        var resolved = config.Transport == ServerTransport.Unix ? null : await Listener.ResolveAsync(config.Transport, config.Endpoint, cancellationToken).ConfigureAwait(false);
        var tls = config.Tls is null ? null : new TlsCertificateSource(config.Tls, _settings.TimeProvider);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = null;

            // grpc-go has no minimum upload rate; a slow client is bounded by keepalive and deadlines instead.
            k.Limits.MinRequestBodyDataRate = null;
            k.Limits.Http2.MaxStreamsPerConnection = config.MaxConcurrentStreams > 0 ? config.MaxConcurrentStreams : int.MaxValue;
            if (config.ReadBufferSize > 0)
            {
                k.Limits.MaxRequestBufferSize = config.ReadBufferSize;
            }

            if (config.WriteBufferSize > 0)
            {
                k.Limits.MaxResponseBufferSize = config.WriteBufferSize;
            }

            if (config.Keepalive is { } keepalive)
            {
                if (keepalive.MaxConnectionIdle > TimeSpan.Zero)
                {
                    k.Limits.KeepAliveTimeout = keepalive.MaxConnectionIdle;
                }

                if (keepalive.Time > TimeSpan.Zero)
                {
                    k.Limits.Http2.KeepAlivePingDelay = keepalive.Time;
                }

                if (keepalive.Timeout > TimeSpan.Zero)
                {
                    k.Limits.Http2.KeepAlivePingTimeout = keepalive.Timeout;
                }
            }

            Listener.Listen(k, config.Transport, config.Endpoint, resolved, o =>
            {
                o.Protocols = HttpProtocols.Http2;
                if (tls is not null)
                {
                    o.UseHttps(tls.CreateOptions());
                }
            }, o => _grpcListen = o);
        });

        builder.Services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = config.MaxRecvMsgSizeBytes;
            o.MaxSendMessageSize = null;
            o.CompressionProviders = [new GzipCompressionProvider(CompressionLevel.Fastest), new ZstdCompressionProvider()];
        });
        builder.Services.AddSingleton(new OtlpGrpcService(this, new ReceiverObsReport(_settings, "grpc"), new ClientInfoReader(config.IncludeMetadata)));
        builder.Services.AddSingleton<IServiceMethodProvider<OtlpGrpcService>>(new OtlpGrpcMethodProvider(signals));
        var app = builder.Build();
        app.MapGrpcService<OtlpGrpcService>();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return app;
    }

    private async Task<WebApplication> StartHttpAsync(HttpServerConfig config, List<Signal> signals, CancellationToken cancellationToken)
    {
        var resolved = config.Transport == ServerTransport.Unix ? null : await Listener.ResolveAsync(config.Transport, config.Endpoint, cancellationToken).ConfigureAwait(false);
        var tls = config.Tls is null ? null : new TlsCertificateSource(config.Tls, _settings.TimeProvider);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;

            // The handler enforces max_request_body_size itself, before and after decompression.
            k.Limits.MaxRequestBodySize = null;

            // Go's server has no minimum upload rate either (otelcol sets read_timeout 0).
            k.Limits.MinRequestBodyDataRate = null;

            // Zero (otelcol's default: no limit) keeps Kestrel's own limits (30s for headers, 130s idle): Kestrel
            // has no "never", and an infinite value expires at once in its timeout control.
            if (config.ReadHeaderTimeout > TimeSpan.Zero)
            {
                k.Limits.RequestHeadersTimeout = config.ReadHeaderTimeout;
            }

            if (config.IdleTimeout > TimeSpan.Zero)
            {
                k.Limits.KeepAliveTimeout = config.IdleTimeout;
            }

            Listener.Listen(k, config.Transport, config.Endpoint, resolved, o =>
            {
                if (tls is not null)
                {
                    o.Protocols = HttpProtocols.Http1AndHttp2;
                    o.UseHttps(tls.CreateOptions());
                }
                else
                {
                    o.Protocols = HttpProtocols.Http1;
                }
            }, o => _httpListen = o);
        });

        var app = builder.Build();
        var handler = new OtlpHttpHandler(this, config, signals, new ReceiverObsReport(_settings, "http"), _settings.Logger);
        app.Run(handler.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return app;
    }

    private async Task StopAppsAsync(CancellationToken cancellationToken)
    {
        foreach (var app in (WebApplication?[])[_httpApp, _grpcApp])
        {
            if (app is null)
            {
                continue;
            }

            try
            {
                await app.StopAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await app.DisposeAsync().ConfigureAwait(false);
            }
        }

        _httpApp = null;
        _grpcApp = null;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = OtlpReceiverEventIds.StartingGrpcServer, Level = LogLevel.Information, Message = "Starting GRPC server on {endpoint}.")]
        public static partial void StartingGrpcServer(ILogger logger, string endpoint);

        [LoggerMessage(EventId = OtlpReceiverEventIds.StartingHttpServer, Level = LogLevel.Information, Message = "Starting HTTP server on {endpoint}.")]
        public static partial void StartingHttpServer(ILogger logger, string endpoint);
    }
}
