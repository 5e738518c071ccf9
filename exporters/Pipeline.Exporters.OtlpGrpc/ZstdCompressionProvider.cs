using System.IO.Compression;
using Grpc.Net.Compression;

namespace Pipeline.Exporters.OtlpGrpc;

/// <summary>The <c>zstd</c> gRPC message encoding (as registered by otelcol's configgrpc), via ZstdSharp.</summary>
internal sealed class ZstdCompressionProvider : ICompressionProvider
{
    // zstd's default level; otelcol's zstd encoder uses the library default too.
    private const int DefaultLevel = 3;

    public string EncodingName => "zstd";

    public Stream CreateCompressionStream(Stream stream, CompressionLevel? compressionLevel) =>
        new ZstdSharp.CompressionStream(stream, DefaultLevel, leaveOpen: true);

    public Stream CreateDecompressionStream(Stream stream) => new ZstdSharp.DecompressionStream(stream, leaveOpen: true);
}
