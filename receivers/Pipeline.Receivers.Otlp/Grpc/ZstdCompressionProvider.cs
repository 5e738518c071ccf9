using System.IO.Compression;
using Grpc.Net.Compression;

namespace Pipeline.Receivers.Otlp.Grpc;

/// <summary><c>grpc-encoding: zstd</c>, which otelcol's gRPC server accepts besides gzip.</summary>
internal sealed class ZstdCompressionProvider : ICompressionProvider
{
    /// <inheritdoc />
    public string EncodingName => "zstd";

    /// <inheritdoc />
    public Stream CreateCompressionStream(Stream stream, CompressionLevel? compressionLevel) =>
        new ZstdSharp.CompressionStream(stream, leaveOpen: true);

    /// <inheritdoc />
    public Stream CreateDecompressionStream(Stream stream) => new ZstdSharp.DecompressionStream(stream, leaveOpen: true);
}
