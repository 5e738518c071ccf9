using System.Net;
using System.Net.Http.Headers;

namespace Pipeline.Receivers.Otlp.Tests;

/// <summary>A body sent without Content-Length (chunked), written in small pieces.</summary>
internal sealed class ChunkedContent : HttpContent
{
    private readonly byte[] _body;

    public ChunkedContent(byte[] body, string contentType, string? contentEncoding = null)
    {
        _body = body;
        Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (contentEncoding is not null)
        {
            Headers.ContentEncoding.Add(contentEncoding);
        }
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        for (int i = 0; i < _body.Length; i += 7)
        {
            await stream.WriteAsync(_body.AsMemory(i, Math.Min(7, _body.Length - i)));
            await stream.FlushAsync();
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
