using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Pipeline.Abstractions;
using Pipeline.Receivers.Otlp.Config;
using Pipeline.Telemetry;
using Pipeline.Telemetry.Otlp;
using Pipeline.Telemetry.Otlp.Json;

namespace Pipeline.Receivers.Otlp.Http;

/// <summary>
/// OTLP/HTTP exactly as otelcol answers it: unknown Content-Encoding 400, unknown path 404, method other than POST
/// 405, media type other than protobuf/JSON 415, unreadable or oversized body 400, then export; errors carry a
/// <c>google.rpc.Status</c> in the request's encoding.
/// </summary>
internal sealed partial class OtlpHttpHandler
{
    private const string ProtobufType = "application/x-protobuf";
    private const string JsonType = "application/json";
    private static readonly byte[] MethodNotAllowed = Encoding.UTF8.GetBytes("405 method not allowed, supported: [POST]");
    private static readonly byte[] UnsupportedMediaType = Encoding.UTF8.GetBytes("415 unsupported media type, supported: [application/json, application/x-protobuf]");
    private static readonly byte[] NotFound = Encoding.UTF8.GetBytes("404 page not found\n");
    private static readonly byte[] EmptyJson = "{}"u8.ToArray();

    private readonly OtlpReceiver _receiver;
    private readonly ReceiverObsReport _obs;
    private readonly ILogger _logger;
    private readonly Dictionary<string, Signal> _paths = new(StringComparer.Ordinal);
    private readonly HashSet<string> _encodings;
    private readonly KeyValuePair<string, string>[] _responseHeaders;
    private readonly bool _keepAlives;
    private readonly long _limit;
    private readonly CorsPolicy? _cors;
    private readonly ClientInfoReader _clients;

    public OtlpHttpHandler(OtlpReceiver receiver, HttpServerConfig config, IReadOnlyList<Signal> signals, ReceiverObsReport obs, ILogger logger)
    {
        _receiver = receiver;
        _obs = obs;
        _logger = logger;
        foreach (var signal in signals)
        {
            _paths[signal switch
            {
                Signal.Traces => config.TracesUrlPath,
                Signal.Metrics => config.MetricsUrlPath,
                _ => config.LogsUrlPath,
            }] = signal;
        }

        _encodings = new HashSet<string>(config.CompressionAlgorithms, StringComparer.Ordinal);

        // otelcol's "deflate" entry brings the zlib decoder with it.
        if (_encodings.Contains("deflate"))
        {
            _encodings.Add("zlib");
        }

        _responseHeaders = [.. config.ResponseHeaders];
        _keepAlives = config.KeepAlivesEnabled;
        _limit = config.EffectiveMaxRequestBodySize;
        _cors = config.Cors is { AllowedOrigins.Count: > 0 } cors ? new CorsPolicy(cors) : null;
        _clients = new ClientInfoReader(config.IncludeMetadata);
    }

    private enum BodyEncoding
    {
        None,
        Protobuf,
        Json,
    }

    /// <summary>Handles one request.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        foreach (var header in _responseHeaders)
        {
            response.Headers[header.Key] = header.Value;
        }

        if (!_keepAlives)
        {
            response.Headers.Connection = "close";
        }

        if (_cors is not null)
        {
            if (_cors.TryHandlePreflight(context))
            {
                return;
            }

            _cors.ApplyToActualRequest(context);
        }

        var encoding = MediaType(request.ContentType);
        string contentEncoding = request.Headers.ContentEncoding.ToString();
        if (!_encodings.Contains(contentEncoding))
        {
            await WriteRejectionAsync(context, encoding, $"unsupported Content-Encoding: {contentEncoding}").ConfigureAwait(false);
            return;
        }

        if (!_paths.TryGetValue(request.Path.Value ?? string.Empty, out var signal))
        {
            response.Headers.XContentTypeOptions = "nosniff";
            await WriteAsync(response, StatusCodes.Status404NotFound, "text/plain; charset=utf-8", NotFound).ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            await WriteAsync(response, StatusCodes.Status405MethodNotAllowed, "text/plain", MethodNotAllowed).ConfigureAwait(false);
            return;
        }

        if (encoding == BodyEncoding.None)
        {
            await WriteAsync(response, StatusCodes.Status415UnsupportedMediaType, "text/plain", UnsupportedMediaType).ConfigureAwait(false);
            return;
        }

        bool json = encoding == BodyEncoding.Json;
        var (body, readError) = await RequestBody.ReadAsync(request, contentEncoding, _limit, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            await WriteStatusAsync(context, json, StatusCodes.Status400BadRequest, new ExportError(global::Grpc.Core.StatusCode.InvalidArgument, readError!, null)).ConfigureAwait(false);
            return;
        }

        TelemetryData data;
        try
        {
            data = json ? ParseJson(signal, body) : ParseProtobuf(signal, body);
        }
        catch (OtlpDecodeException e)
        {
            await WriteStatusAsync(context, json, StatusCodes.Status400BadRequest, new ExportError(global::Grpc.Core.StatusCode.InvalidArgument, e.Message, null)).ConfigureAwait(false);
            return;
        }

        if (data.ItemCount > 0)
        {
            data = data.WithClient(_clients.Read(context));
            var error = await _receiver.ExportAsync(data, _obs, context.RequestAborted).ConfigureAwait(false);
            if (error is not null)
            {
                // otelcol sends Retry-After only for throttling answers that carry RetryInfo.
                int status = error.HttpStatus;
                if (error.RetryAfter is { } delay && status is 429 or 503)
                {
                    response.Headers.RetryAfter = ((long)delay.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                }

                await WriteStatusAsync(context, json, status, error).ConfigureAwait(false);
                return;
            }
        }

        await WriteAsync(response, StatusCodes.Status200OK, json ? JsonType : ProtobufType, json ? EmptyJson : []).ConfigureAwait(false);
    }

    private static TelemetryData ParseProtobuf(Signal signal, byte[] body) => signal switch
    {
        Signal.Traces => Traces.FromEncoded(body),
        Signal.Metrics => Metrics.FromEncoded(body),
        _ => Logs.FromEncoded(body),
    };

    private static TelemetryData ParseJson(Signal signal, byte[] body) => signal switch
    {
        Signal.Traces => Traces.FromRequest(OtlpJson.ParseTraces(body)),
        Signal.Metrics => Metrics.FromRequest(OtlpJson.ParseMetrics(body)),
        _ => Logs.FromRequest(OtlpJson.ParseLogs(body)),
    };

    // mime.ParseMediaType: the type before any parameters, case-insensitive.
    private static BodyEncoding MediaType(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return BodyEncoding.None;
        }

        var type = contentType.AsSpan();
        int semicolon = type.IndexOf(';');
        if (semicolon >= 0)
        {
            type = type[..semicolon];
        }

        type = type.Trim();
        return type.Equals(ProtobufType, StringComparison.OrdinalIgnoreCase) ? BodyEncoding.Protobuf
            : type.Equals(JsonType, StringComparison.OrdinalIgnoreCase) ? BodyEncoding.Json
            : BodyEncoding.None;
    }

    // otelcol's errorHandler: a Status in the request's encoding when it has one, else the message as text.
    private Task WriteRejectionAsync(HttpContext context, BodyEncoding encoding, string message)
    {
        if (encoding == BodyEncoding.None)
        {
            Log.RequestRejected(_logger, StatusCodes.Status400BadRequest, message);
            return WriteAsync(context.Response, StatusCodes.Status400BadRequest, "text/plain", Encoding.UTF8.GetBytes(message));
        }

        return WriteStatusAsync(context, encoding == BodyEncoding.Json, StatusCodes.Status400BadRequest, new ExportError(global::Grpc.Core.StatusCode.InvalidArgument, message, null));
    }

    private Task WriteStatusAsync(HttpContext context, bool json, int httpStatus, ExportError error)
    {
        Log.RequestRejected(_logger, httpStatus, error.Message);
        return WriteAsync(context.Response, httpStatus, json ? JsonType : ProtobufType, StatusBody.Encode(error.ToStatus(), json));
    }

    private static Task WriteAsync(HttpResponse response, int status, string contentType, byte[] body)
    {
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        return body.Length == 0 ? Task.CompletedTask : response.Body.WriteAsync(body, 0, body.Length);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = OtlpReceiverEventIds.RequestRejected, Level = LogLevel.Debug, Message = "Answered an OTLP/HTTP request with {Status}: {Reason}")]
        public static partial void RequestRejected(ILogger logger, int status, string reason);
    }
}
