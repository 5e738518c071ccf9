using System.Buffers;
using Pipeline.Exporters.Helper;
using Xunit;

namespace Pipeline.Exporters.Tests.Helper;

public sealed class PooledChunkWriterTests
{
    [Fact]
    public void Write_MoreThanOneChunk_KeepsTheBytesInOrderInChunksBelowTheLargeObjectHeap()
    {
        byte[] data = new byte[200_000];
        new Random(7).NextBytes(data);
        using var writer = new PooledChunkWriter();

        writer.Write(data.AsSpan(0, 1000));
        var span = writer.GetSpan(5000);
        data.AsSpan(1000, 5000).CopyTo(span);
        writer.Advance(5000);
        writer.AsStream().Write(data, 6000, data.Length - 6000);

        Assert.Equal(data.Length, writer.Length);
        Assert.Equal(data, Concat(writer));
        for (int i = 0; i < writer.ChunkCount; i++)
        {
            Assert.True(writer.GetChunk(i).Length <= PooledChunkWriter.ChunkSize, $"chunk {i} holds {writer.GetChunk(i).Length} bytes");
        }
    }

    [Fact]
    public void GetSpan_HintLargerThanAChunk_GetsOneSpanOfThatSize()
    {
        using var writer = new PooledChunkWriter();
        writer.Write([1, 2, 3]);

        var span = writer.GetSpan(100_000);
        span[..100_000].Fill(9);
        writer.Advance(100_000);

        Assert.Equal(100_003, writer.Length);
        Assert.Equal(2, writer.ChunkCount);
        Assert.Equal(100_000, writer.GetChunk(1).Length);
    }

    [Fact]
    public void Dispose_ReturnsEveryRentedChunkToThePool()
    {
        var pool = new CountingPool();
        var writer = new PooledChunkWriter(pool);
        writer.Write(new byte[300_000]);
        writer.GetSpan(90_000);
        int rented = pool.Rented;

        writer.Dispose();
        writer.Dispose();

        Assert.True(rented >= 6, $"only {rented} chunks were rented");
        Assert.Equal(rented, pool.Returned);
        Assert.Throws<ObjectDisposedException>(() => writer.GetSpan());
    }

    [Fact]
    public void Advance_PastTheSpanHandedOut_Throws()
    {
        using var writer = new PooledChunkWriter();
        int available = writer.GetSpan(10).Length;

        var error = Assert.Throws<InvalidOperationException>(() => writer.Advance(available + 1));

        Assert.Equal("Cannot advance past the end of the buffer.", error.Message);
    }

    private static byte[] Concat(PooledChunkWriter writer)
    {
        var all = new List<byte>();
        for (int i = 0; i < writer.ChunkCount; i++)
        {
            all.AddRange(writer.GetChunk(i).ToArray());
        }

        return [.. all];
    }

    private sealed class CountingPool : ArrayPool<byte>
    {
        public int Rented { get; private set; }

        public int Returned { get; private set; }

        public override byte[] Rent(int minimumLength)
        {
            Rented++;
            return new byte[minimumLength];
        }

        public override void Return(byte[] array, bool clearArray = false) => Returned++;
    }
}
