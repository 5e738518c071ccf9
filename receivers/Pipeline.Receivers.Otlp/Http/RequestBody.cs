using System.Buffers;
using System.IO.Compression;
using Microsoft.AspNetCore.Http;

namespace Pipeline.Receivers.Otlp.Http;

/// <summary>
/// Reads an OTLP/HTTP body into one array the batch then owns, decompressing it, with the body limit applied both to
/// the bytes sent and to the bytes decompressed: decompression stops one byte past the limit, so a small gzip bomb
/// costs at most the limit in memory.
/// </summary>
internal static class RequestBody
{
    /// <summary>Go's <c>http.MaxBytesReader</c> message, which otelcol returns.</summary>
    public const string TooLarge = "http: request body too large";

    private const int InitialBuffer = 16 * 1024;

    /// <summary>Reads the body; on failure returns null and the reason (answered with 400).</summary>
    public static async ValueTask<(byte[]? Body, string? Error)> ReadAsync(HttpRequest request, string encoding, long limit, CancellationToken cancellationToken)
    {
        int cap = (int)Math.Min(limit, Array.MaxLength - 1);
        long? declared = request.ContentLength;
        if (declared > limit)
        {
            return (null, TooLarge);
        }

        var raw = new LimitedReadStream(request.Body, limit);
        Stream source = encoding switch
        {
            "gzip" => new GZipStream(raw, CompressionMode.Decompress, leaveOpen: true),
            "zlib" or "deflate" => new ZLibStream(raw, CompressionMode.Decompress, leaveOpen: true),
            "zstd" => new ZstdSharp.DecompressionStream(raw, leaveOpen: true),
            _ => raw,
        };

        try
        {
            if (source == raw && declared is { } length)
            {
                var exact = new byte[length];
                await raw.ReadExactlyAsync(exact, cancellationToken).ConfigureAwait(false);
                return (exact, null);
            }

            return await ReadToEndAsync(source, cap, declared, cancellationToken).ConfigureAwait(false);
        }
        catch (BodyTooLargeException)
        {
            return (null, TooLarge);
        }
        catch (EndOfStreamException)
        {
            return (null, "unexpected EOF");
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ZstdSharp.ZstdException or BadHttpRequestException)
        {
            return (null, e.Message);
        }
        finally
        {
            if (source != raw)
            {
                await source.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async ValueTask<(byte[]? Body, string? Error)> ReadToEndAsync(Stream source, int cap, long? declared, CancellationToken cancellationToken)
    {
        // Sized from the declared length at most (never from anything inside the payload), then doubled.
        int size = (int)Math.Min(Math.Max(declared ?? InitialBuffer, InitialBuffer), (long)cap + 1);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(size);
        int filled = 0;
        try
        {
            while (true)
            {
                if (filled == buffer.Length)
                {
                    if (filled > cap)
                    {
                        return (null, TooLarge);
                    }

                    byte[] bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, (long)cap + 1));
                    buffer.AsSpan(0, filled).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                int room = (int)Math.Min(buffer.Length - filled, (long)cap + 1 - filled);
                int n = await source.ReadAsync(buffer.AsMemory(filled, room), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    return (buffer.AsSpan(0, filled).ToArray(), null);
                }

                filled += n;
                if (filled > cap)
                {
                    return (null, TooLarge);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private sealed class BodyTooLargeException : Exception
    {
    }

    /// <summary>The raw body, failing once more than the limit has been read (Go's MaxBytesReader).</summary>
    private sealed class LimitedReadStream : Stream
    {
        private readonly Stream _inner;
        private readonly long _limit;
        private long _read;

        public LimitedReadStream(Stream inner, long limit)
        {
            _inner = inner;
            _limit = limit;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _read;
            set => throw new NotSupportedException();
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int n = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            _read += n;
            if (_read > _limit)
            {
                throw new BodyTooLargeException();
            }

            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("The request body is read asynchronously.");

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
