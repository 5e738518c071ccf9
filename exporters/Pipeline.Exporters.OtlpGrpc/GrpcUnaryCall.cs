using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;
using Pipeline.Abstractions;
using Pipeline.Exporters.Helper;
using Pipeline.Telemetry;

namespace Pipeline.Exporters.OtlpGrpc;

/// <summary>
/// One OTLP <c>Export</c> call over HTTP/2 (the gRPC wire protocol: a 5-byte length prefix, the message, the status in
/// trailers), written here rather than through Grpc.Net.Client so a batch is streamed to the connection as the
/// segments it already is.
/// </summary>
/// <remarks>
/// Grpc.Net.Client serializes every request into one contiguous array (header + message, rented from the shared pool,
/// or with compression a fresh array, a growing MemoryStream and a pooled copy). With batches of ~3 MB and
/// <c>num_consumers</c> sends in flight, those arrays were most of the exporter path's memory (BENCHMARKS.md,
/// "Run 5: exporter-path memory"). Here an uncompressed pass-through batch is written segment by segment (small
/// segments coalesced through one 64 KiB pooled buffer); a compressed or re-encoded one goes through 64 KiB pooled
/// chunks (<see cref="PooledChunkWriter"/>). Status handling follows grpc-go, which otelcol uses: trailers (or
/// trailers-only headers) carry <c>grpc-status</c>/<c>grpc-message</c>/<c>grpc-status-details-bin</c>; a non-200 HTTP
/// status without a gRPC status maps as grpc-go's table does; a connection failure is Unavailable.
/// </remarks>
internal static class GrpcUnaryCall
{
    /// <summary>The largest response accepted (grpc-go's default receive limit).</summary>
    internal const int MaxResponseSize = 4 * 1024 * 1024;

    private const int HeaderSize = 5;

    /// <summary>
    /// Sends <paramref name="data"/> to <paramref name="uri"/> and returns the decoded response message body (without
    /// framing; empty when the server sent an empty message). Throws <see cref="RpcException"/> for a non-OK status,
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires.
    /// </summary>
    public static async Task<byte[]> SendAsync(
        HttpMessageInvoker invoker,
        Uri uri,
        IReadOnlyList<KeyValuePair<string, string>> headers,
        string? compression,
        TelemetryData data,
        CancellationToken cancellationToken)
    {
        using var body = Frame(data, compression);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new MessageContent(body),
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        request.Headers.TryAddWithoutValidation("grpc-accept-encoding", "identity,gzip,zstd");
        if (compression is not null)
        {
            request.Headers.TryAddWithoutValidation("grpc-encoding", compression);
        }

        for (int i = 0; i < headers.Count; i++)
        {
            request.Headers.TryAddWithoutValidation(headers[i].Key, headers[i].Value);
        }

        HttpResponseMessage response;
        try
        {
            response = await invoker.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "connection error: " + Describe(e), e));
        }

        using (response)
        {
            return await ReadResponseAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>True when <paramref name="error"/> is a failure to reach the server (nothing was answered).</summary>
    public static bool IsConnectionError(RpcException error) => error.Status.DebugException is HttpRequestException
    {
        HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError,
    };

    /// <summary>grpc-go's mapping of an HTTP status to a gRPC code when the response carries no gRPC status.</summary>
    internal static StatusCode CodeForHttpStatus(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest => StatusCode.Internal,
        HttpStatusCode.Unauthorized => StatusCode.Unauthenticated,
        HttpStatusCode.Forbidden => StatusCode.PermissionDenied,
        HttpStatusCode.NotFound => StatusCode.Unimplemented,
        HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable
            or HttpStatusCode.GatewayTimeout => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };

    /// <summary>Decodes a <c>grpc-message</c> value (percent-encoded UTF-8).</summary>
    internal static string DecodeMessage(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        try
        {
            return Uri.UnescapeDataString(value);
        }
        catch (UriFormatException)
        {
            return value;
        }
    }

    // The framed request: either the batch's own segments (uncompressed pass-through) or pooled chunks.
    private static FramedMessage Frame(TelemetryData data, string? compression)
    {
        if (compression is null && data.IsEncodedOnly)
        {
            return new FramedMessage(data, null, data.CalculateSize(), compressed: false);
        }

        var encoded = new PooledChunkWriter();
        try
        {
            if (compression is null)
            {
                data.WriteTo(encoded);
                return new FramedMessage(null, encoded, encoded.Length, compressed: false);
            }

            var compressed = new PooledChunkWriter();
            try
            {
                Compress(data, encoded, compressed, compression);
                encoded.Dispose();
                return new FramedMessage(null, compressed, compressed.Length, compressed: true);
            }
            catch
            {
                compressed.Dispose();
                throw;
            }
        }
        catch
        {
            encoded.Dispose();
            throw;
        }
    }

    // Compresses the batch into `output`; `scratch` holds the encoding of a decoded batch first.
    private static void Compress(TelemetryData data, PooledChunkWriter scratch, PooledChunkWriter output, string compression)
    {
        using (var stream = CreateCompressor(output.AsStream(), compression))
        {
            if (data.IsEncodedOnly)
            {
                for (int i = 0; i < data.Segments.Length; i++)
                {
                    stream.Write(data.Segments[i].Span);
                }
            }
            else
            {
                data.WriteTo(scratch);
                scratch.CopyTo(stream);
            }
        }
    }

    private static Stream CreateCompressor(Stream output, string compression) => compression switch
    {
        "gzip" => new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true),
        "zstd" => new ZstdCompressionProvider().CreateCompressionStream(output, CompressionLevel.Fastest),
        _ => throw new NotSupportedException($"No compressor for \"{compression}\"."),
    };

    private static Stream CreateDecompressor(Stream input, string encoding) => encoding switch
    {
        "gzip" => new GZipStream(input, CompressionMode.Decompress),
        "zstd" => new ZstdCompressionProvider().CreateDecompressionStream(input),
        _ => throw Failure(StatusCode.Internal, $"grpc: Decompressor is not installed for grpc-encoding \"{encoding}\""),
    };

    private static async Task<byte[]> ReadResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // Trailers-only response (an error before any message): the status is in the headers.
        if (HeaderValue(response.Headers, "grpc-status") is { } early)
        {
            ThrowIfNotOk(early, HeaderValue(response.Headers, "grpc-message"), HeaderValue(response.Headers, GrpcErrors.StatusDetailsTrailer));
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            int code = (int)response.StatusCode;
            throw Failure(CodeForHttpStatus(response.StatusCode), $"unexpected HTTP status code received from server: {code} ({response.ReasonPhrase})");
        }

        string? contentType = response.Content.Headers.ContentType?.MediaType;
        if (contentType is null || !contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase))
        {
            throw Failure(StatusCode.Internal, $"transport: received unexpected content-type \"{contentType}\"");
        }

        byte[] frame;
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            frame = await ReadAllAsync(stream, cancellationToken).ConfigureAwait(false);
        }

        ThrowIfNotOk(
            HeaderValue(response.TrailingHeaders, "grpc-status") ?? HeaderValue(response.Headers, "grpc-status"),
            HeaderValue(response.TrailingHeaders, "grpc-message"),
            HeaderValue(response.TrailingHeaders, GrpcErrors.StatusDetailsTrailer));
        return Unframe(frame, HeaderValue(response.Headers, "grpc-encoding"));
    }

    private static void ThrowIfNotOk(string? status, string? message, string? details)
    {
        if (status is null)
        {
            throw Failure(StatusCode.Internal, "server closed the stream without sending trailers");
        }

        if (!int.TryParse(status, out int code))
        {
            throw Failure(StatusCode.Unknown, $"transport: malformed grpc-status: \"{status}\"");
        }

        if (code == 0)
        {
            return;
        }

        var trailers = new Metadata();
        if (details is not null && DecodeBase64(details) is { } bytes)
        {
            trailers.Add(GrpcErrors.StatusDetailsTrailer, bytes);
        }

        throw new RpcException(new Status((StatusCode)code, DecodeMessage(message)), trailers);
    }

    private static byte[] Unframe(byte[] frame, string? encoding)
    {
        if (frame.Length == 0)
        {
            return [];
        }

        if (frame.Length < HeaderSize)
        {
            throw Failure(StatusCode.Internal, "grpc: received a truncated message header");
        }

        uint length = BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(1));
        if (length != frame.Length - HeaderSize)
        {
            throw Failure(StatusCode.Internal, "grpc: response message length does not match the data received");
        }

        if (frame[0] == 0)
        {
            return frame[HeaderSize..];
        }

        if (encoding is null || encoding == "identity")
        {
            throw Failure(StatusCode.Internal, "grpc: compressed flag set with identity or empty encoding");
        }

        using var input = new MemoryStream(frame, HeaderSize, (int)length, writable: false);
        using var decompressor = CreateDecompressor(input, encoding);
        using var output = new MemoryStream();
        decompressor.CopyTo(output);
        if (output.Length > MaxResponseSize)
        {
            throw Failure(StatusCode.ResourceExhausted, "grpc: received message after decompression larger than max");
        }

        return output.ToArray();
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(256);
        int filled = 0;
        try
        {
            while (true)
            {
                if (filled == buffer.Length)
                {
                    if (buffer.Length >= MaxResponseSize + HeaderSize)
                    {
                        throw Failure(StatusCode.ResourceExhausted, "grpc: received message larger than max");
                    }

                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, MaxResponseSize + HeaderSize));
                    buffer.AsSpan(0, filled).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                int n = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    return buffer.AsSpan(0, filled).ToArray();
                }

                filled += n;
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw Failure(StatusCode.Unavailable, "error reading from server: " + Describe(e));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string? HeaderValue(HttpHeaders headers, string name) =>
        headers.NonValidated.TryGetValues(name, out var values) && values.Count > 0 ? LastValue(values) : null;

    private static string LastValue(HeaderStringValues values)
    {
        string last = string.Empty;
        foreach (string value in values)
        {
            last = value;
        }

        return last;
    }

    // grpc-status-details-bin is base64, padding optional.
    private static byte[]? DecodeBase64(string value)
    {
        string padded = (value.Length % 4) switch
        {
            2 => value + "==",
            3 => value + "=",
            _ => value,
        };
        try
        {
            return Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string Describe(Exception e)
    {
        string message = e.Message;
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            message += ": " + inner.Message;
        }

        return message;
    }

    private static RpcException Failure(StatusCode code, string detail) => new(new Status(code, detail));

    /// <summary>The request body: header + message, written to the HTTP/2 stream part by part.</summary>
    private sealed class FramedMessage : IDisposable
    {
        private readonly TelemetryData? _segments;
        private readonly PooledChunkWriter? _chunks;
        private readonly long _length;
        private readonly bool _compressed;

        public FramedMessage(TelemetryData? segments, PooledChunkWriter? chunks, long length, bool compressed)
        {
            if (length > uint.MaxValue)
            {
                chunks?.Dispose();
                throw new PermanentException($"request of {length} bytes exceeds the gRPC message size limit");
            }

            _segments = segments;
            _chunks = chunks;
            _length = length;
            _compressed = compressed;
        }

        public async Task WriteToAsync(Stream stream, CancellationToken cancellationToken)
        {
            byte[] staging = ArrayPool<byte>.Shared.Rent(PooledChunkWriter.ChunkSize);
            try
            {
                staging[0] = _compressed ? (byte)1 : (byte)0;
                BinaryPrimitives.WriteUInt32BigEndian(staging.AsSpan(1), (uint)_length);
                int staged = HeaderSize;
                int parts = _segments is not null ? _segments.Segments.Length : _chunks!.ChunkCount;
                for (int i = 0; i < parts; i++)
                {
                    var part = _segments is not null ? _segments.Segments[i] : _chunks!.GetChunk(i);

                    // Small parts are coalesced so the connection sees few, full writes; large ones go as they are.
                    if (staged + part.Length <= staging.Length)
                    {
                        part.Span.CopyTo(staging.AsSpan(staged));
                        staged += part.Length;
                        continue;
                    }

                    if (staged > 0)
                    {
                        await stream.WriteAsync(staging.AsMemory(0, staged), cancellationToken).ConfigureAwait(false);
                        staged = 0;
                    }

                    if (part.Length >= staging.Length / 2)
                    {
                        await stream.WriteAsync(part, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        part.Span.CopyTo(staging);
                        staged = part.Length;
                    }
                }

                if (staged > 0)
                {
                    await stream.WriteAsync(staging.AsMemory(0, staged), cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(staging);
            }
        }

        public void Dispose() => _chunks?.Dispose();
    }

    private sealed class MessageContent : HttpContent
    {
        private readonly FramedMessage _message;

        public MessageContent(FramedMessage message)
        {
            _message = message;
            Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            _message.WriteToAsync(stream, CancellationToken.None);

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
            _message.WriteToAsync(stream, cancellationToken);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
