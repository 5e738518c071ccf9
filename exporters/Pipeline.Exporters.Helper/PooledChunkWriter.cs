using System.Buffers;

namespace Pipeline.Exporters.Helper;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> that appends to a list of pooled chunks instead of one growing array, so a large
/// request body (a batch of several MB, compressed or re-encoded) never needs one contiguous buffer: each chunk is
/// below the large-object-heap threshold and goes back to the pool on <see cref="Dispose"/>.
/// </summary>
/// <remarks>One contiguous array per in-flight request is what made the exporters' memory grow with
/// <c>num_consumers</c> × batch size (BENCHMARKS.md, "Run 5: exporter-path memory").</remarks>
public sealed class PooledChunkWriter : IBufferWriter<byte>, IDisposable
{
    /// <summary>The usual chunk size: 64 KiB, below the 85,000-byte large-object threshold.</summary>
    public const int ChunkSize = 64 * 1024;

    private readonly ArrayPool<byte> _pool;
    private readonly List<byte[]> _chunks = [];
    private readonly List<int> _used = [];
    private long _length;
    private bool _disposed;

    /// <summary>Creates an empty writer renting from <paramref name="pool"/> (default <see cref="ArrayPool{T}.Shared"/>).</summary>
    public PooledChunkWriter(ArrayPool<byte>? pool = null) => _pool = pool ?? ArrayPool<byte>.Shared;

    /// <summary>The number of bytes written.</summary>
    public long Length => _length;

    /// <summary>The number of chunks holding data.</summary>
    public int ChunkCount => _chunks.Count;

    /// <summary>The written part of chunk <paramref name="index"/>.</summary>
    public ReadOnlyMemory<byte> GetChunk(int index)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _chunks[index].AsMemory(0, _used[index]);
    }

    /// <summary>Writes every chunk, in order, to <paramref name="destination"/> (e.g. a compressor).</summary>
    public void CopyTo(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        for (int i = 0; i < ChunkCount; i++)
        {
            destination.Write(GetChunk(i).Span);
        }
    }

    /// <inheritdoc />
    public void Advance(int count)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return;
        }

        int last = _chunks.Count - 1;
        if (last < 0 || _used[last] + count > _chunks[last].Length)
        {
            throw new InvalidOperationException("Cannot advance past the end of the buffer.");
        }

        _used[last] += count;
        _length += count;
    }

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        var chunk = Ensure(sizeHint);
        return chunk.AsMemory(_used[^1]);
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        var chunk = Ensure(sizeHint);
        return chunk.AsSpan(_used[^1]);
    }

    /// <summary>Copies <paramref name="data"/> in, filling the current chunk before renting the next.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var span = GetSpan(1);
            int n = Math.Min(span.Length, data.Length);
            data[..n].CopyTo(span);
            Advance(n);
            data = data[n..];
        }
    }

    /// <summary>A write-only stream that appends to this writer (for compressors).</summary>
    public Stream AsStream() => new WriterStream(this);

    /// <summary>Returns every chunk to the pool.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var chunk in _chunks)
        {
            _pool.Return(chunk);
        }

        _chunks.Clear();
        _used.Clear();
        _length = 0;
    }

    private byte[] Ensure(int sizeHint)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int need = Math.Max(sizeHint, 1);
        if (_chunks.Count > 0 && _chunks[^1].Length - _used[^1] >= need)
        {
            return _chunks[^1];
        }

        var chunk = _pool.Rent(Math.Max(need, ChunkSize));
        _chunks.Add(chunk);
        _used.Add(0);
        return chunk;
    }

    private sealed class WriterStream(PooledChunkWriter writer) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => writer.Length;

        public override long Position
        {
            get => writer.Length;
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => writer.Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer) => writer.Write(buffer);
    }
}

/// <summary>An HTTP request body over a <see cref="PooledChunkWriter"/>'s chunks, written chunk by chunk with a known
/// Content-Length. The writer stays owned by the caller, who disposes it after the request completes.</summary>
public sealed class PooledChunkContent : HttpContent
{
    private readonly PooledChunkWriter _body;

    /// <summary>Wraps <paramref name="body"/>.</summary>
    public PooledChunkContent(PooledChunkWriter body)
    {
        ArgumentNullException.ThrowIfNull(body);
        _body = body;
    }

    /// <inheritdoc />
    protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    /// <inheritdoc />
    protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
    {
        for (int i = 0; i < _body.ChunkCount; i++)
        {
            await stream.WriteAsync(_body.GetChunk(i), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    protected override bool TryComputeLength(out long length)
    {
        length = _body.Length;
        return true;
    }
}
