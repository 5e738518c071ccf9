using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Pipeline.Abstractions;
using Pipeline.Exporters.Helper;
using Pipeline.Telemetry;
using Pipeline.Telemetry.Otlp.Json;

namespace Pipeline.Exporters.OtlpHttp;

/// <summary>Posts one signal to its OTLP/HTTP URL through the exporter helper's queue → retry → timeout chain.</summary>
/// <typeparam name="T">The signal's batch type.</typeparam>
internal sealed partial class OtlpHttpExporter<T> : IExporter<T>, IPersistingConsumer
    where T : TelemetryData
{
    // Error bodies are read for their google.rpc.Status only; a bigger body is cut (a proxy's HTML page, say).
    private const int MaxErrorBodyBytes = 64 * 1024;

    private static readonly MediaTypeHeaderValue ProtobufType = new("application/x-protobuf");
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");

    private readonly ComponentSettings _settings;
    private readonly OtlpHttpConfig _config;
    private readonly ExportChain<T> _chain;
    private readonly Signal _signal;
    private readonly string _url;
    private readonly bool _json;
    private readonly string _userAgent;
    private HttpClient? _client;

    public OtlpHttpExporter(ComponentSettings settings, OtlpHttpConfig config, string url)
    {
        _settings = settings;
        _config = config;
        _url = url;
        _json = config.Encoding == "json";
        _userAgent = "Pipeline/" + settings.BuildVersion;
        _chain = new ExportChain<T>(settings, config.Timeout, config.Retry, config.Queue, PushAsync);
        _signal = _chain.ObsReport.Signal;
    }

    /// <inheritdoc />
    public ConsumerCapabilities Capabilities => ConsumerCapabilities.ReadOnly;

    /// <inheritdoc />
    public bool PersistsBeforeReturning => _chain.IsPersistent;

    /// <summary>The URL requests go to.</summary>
    internal string Url => _url;

    /// <inheritdoc />
    public async Task StartAsync(IComponentHost host, CancellationToken cancellationToken)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = _config.IdleConnTimeout > TimeSpan.Zero ? _config.IdleConnTimeout : Timeout.InfiniteTimeSpan,
            MaxConnectionsPerServer = _config.MaxConnsPerHost > 0 ? _config.MaxConnsPerHost : int.MaxValue,
            AutomaticDecompression = DecompressionMethods.None,
            EnableMultipleHttp2Connections = true,
        };
        if (_config.Http2ReadIdleTimeout > TimeSpan.Zero)
        {
            handler.KeepAlivePingDelay = _config.Http2ReadIdleTimeout;
            handler.KeepAlivePingTimeout = _config.Http2PingTimeout > TimeSpan.Zero ? _config.Http2PingTimeout : TimeSpan.FromSeconds(15);
        }

        if (_url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            handler.SslOptions = _config.Tls.CreateSslOptions();
        }

        _client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        if (_config.ForceAttemptHttp2 && _url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            _client.DefaultRequestVersion = HttpVersion.Version20;
            _client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
        }

        Log.Starting(_settings.Logger, _url, _config.Encoding, _config.Compression.Length == 0 ? "none" : _config.Compression);
        await _chain.StartAsync(host, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask ConsumeAsync(T data, CancellationToken cancellationToken) => _chain.ConsumeAsync(data, cancellationToken);

    /// <inheritdoc />
    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        await _chain.ShutdownAsync(cancellationToken).ConfigureAwait(false);
        _client?.Dispose();
        _client = null;
    }

    private async ValueTask PushAsync(T data, CancellationToken cancellationToken)
    {
        var client = _client ?? throw new ConsumerException(StatusCode.Unavailable, "exporter is not started");
        // Pooled 64 KiB chunks, never one array of the whole body (BENCHMARKS.md, run 5).
        using var raw = new PooledChunkWriter();
        if (_json)
        {
            OtlpJson.Write(data, raw);
        }
        else
        {
            data.WriteTo(raw);
        }

        PooledChunkWriter? compressed = null;
        try
        {
            var body = raw;
            string? encoding = _config.Compression switch
            {
                "gzip" => "gzip",
                "zstd" => "zstd",
                "deflate" => "deflate",
                "zlib" => "zlib",
                _ => null,
            };
            if (encoding is not null)
            {
                compressed = new PooledChunkWriter();
                using (var stream = CreateCompressor(encoding, compressed.AsStream()))
                {
                    raw.CopyTo(stream);
                }

                body = compressed;
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new PooledChunkContent(body) };
            request.Content.Headers.ContentType = _json ? JsonType : ProtobufType;
            if (encoding is not null)
            {
                request.Content.Headers.ContentEncoding.Add(encoding);
            }

            foreach (var header in _config.Headers)
            {
                if (!request.Headers.TryAddWithoutValidation(header.Key, header.Value))
                {
                    request.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
            }

            request.Headers.UserAgent.Clear();
            request.Headers.TryAddWithoutValidation("User-Agent", _userAgent);
            if (_config.DisableKeepAlives)
            {
                request.Headers.ConnectionClose = true;
            }

            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw new ConsumerException(StatusCode.Unavailable, $"failed to make an HTTP request: {e.Message}");
            }

            using (response)
            {
                await HandleResponseAsync(response, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            compressed?.Dispose();
        }
    }

    private async Task HandleResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        int code = (int)response.StatusCode;
        string? mediaType = response.Content.Headers.ContentType?.MediaType;
        bool json = string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase);
        bool proto = string.Equals(mediaType, "application/x-protobuf", StringComparison.OrdinalIgnoreCase);
        if (code is >= 200 and < 300)
        {
            if (!json && !proto)
            {
                return;
            }

            byte[] ok = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            (long rejected, string message) partial;
            try
            {
                partial = OtlpHttpResponses.ParsePartialSuccess(_signal, ok, json);
            }
            catch (Exception e) when (e is Google.Protobuf.InvalidProtocolBufferException or System.Text.Json.JsonException or FormatException or OverflowException or InvalidOperationException)
            {
                throw new PermanentException($"failed to parse the response body of a successful export to {_url}: {e.Message}", e);
            }

            if (partial.rejected > 0 || partial.message.Length > 0)
            {
                Log.PartialSuccess(_settings.Logger, partial.message, DroppedField(_signal), partial.rejected);
            }

            return;
        }

        byte[] body = await ReadLimitedAsync(response.Content, cancellationToken).ConfigureAwait(false);
        string details = json || proto || mediaType is null ? OtlpHttpResponses.DescribeStatus(body, json) : string.Empty;
        string text = $"error exporting items, request to {_url} responded with HTTP Status Code {code}{details}";
        switch (code)
        {
            case 429:
                throw new ConsumerException(StatusCode.ResourceExhausted, text, RetryAfter(response));
            case 503:
                throw new ConsumerException(StatusCode.Unavailable, text, RetryAfter(response));
            case 502:
            case 504:
                throw new ConsumerException(StatusCode.Unavailable, text);
            default:
                throw new PermanentException(text);
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - _settings.TimeProvider.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static async Task<byte[]> ReadLimitedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxErrorBodyBytes];
            int total = 0;
            while (total < buffer.Length)
            {
                int n = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                total += n;
            }

            return buffer.AsSpan(0, total).ToArray();
        }
    }

    private static Stream CreateCompressor(string encoding, Stream output) => encoding switch
    {
        "gzip" => new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true),
        "zstd" => new ZstdSharp.CompressionStream(output, 3, leaveOpen: true),
        _ => new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true),
    };

    private static string DroppedField(Signal signal) => signal switch
    {
        Signal.Traces => "dropped_spans",
        Signal.Metrics => "dropped_data_points",
        _ => "dropped_log_records",
    };

    private static partial class Log
    {
        [LoggerMessage(EventId = OtlpHttpEventIds.PartialSuccess, Level = LogLevel.Warning, Message = "Partial success response (message: {Message}, {DroppedField}: {Dropped})")]
        public static partial void PartialSuccess(ILogger logger, string message, string droppedField, long dropped);

        [LoggerMessage(EventId = OtlpHttpEventIds.Starting, Level = LogLevel.Debug, Message = "Exporting over OTLP/HTTP. (url: {Url}, encoding: {Encoding}, compression: {Compression})")]
        public static partial void Starting(ILogger logger, string url, string encoding, string compression);
    }
}
