using System.IO.Compression;

namespace Pipeline.Receivers.Otlp.Tests;

/// <summary>Content-Encoding codecs for request bodies.</summary>
internal static class Compress
{
    public static byte[] Gzip(byte[] data) => Run(data, s => new GZipStream(s, CompressionLevel.Optimal, leaveOpen: true));

    public static byte[] Zlib(byte[] data) => Run(data, s => new ZLibStream(s, CompressionLevel.Optimal, leaveOpen: true));

    public static byte[] Zstd(byte[] data)
    {
        using var compressor = new ZstdSharp.Compressor();
        return compressor.Wrap(data).ToArray();
    }

    public static byte[] Encode(string encoding, byte[] data) => encoding switch
    {
        "gzip" => Gzip(data),
        "zlib" or "deflate" => Zlib(data),
        "zstd" => Zstd(data),
        _ => data,
    };

    private static byte[] Run(byte[] data, Func<Stream, Stream> wrap)
    {
        using var output = new MemoryStream();
        using (var compressor = wrap(output))
        {
            compressor.Write(data);
        }

        return output.ToArray();
    }
}
