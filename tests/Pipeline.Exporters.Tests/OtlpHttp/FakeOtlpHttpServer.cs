using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Pipeline.Exporters.Tests.OtlpHttp;

/// <summary>A plain Kestrel endpoint on 127.0.0.1 that records each POST (body decompressed) and answers as told.</summary>
internal sealed class FakeOtlpHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<HttpReceived> _received = new();
    private int _calls;

    private FakeOtlpHttpServer(WebApplication app) => _app = app;

    /// <summary>Called with the 1-based call number; writes the response (default: 200 with an empty body).</summary>
    public Func<int, HttpResponse, Task>? Respond { get; set; }

    public int Calls => Volatile.Read(ref _calls);

    public IReadOnlyList<HttpReceived> Received => [.. _received];

    public string BaseUrl { get; private set; } = string.Empty;

    public static async Task<FakeOtlpHttpServer> StartAsync(X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        var app = builder.Build();
        var server = new FakeOtlpHttpServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = (certificate is null ? "http://" : "https://") + "127.0.0.1:" + new Uri(address).Port;
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        int call = Interlocked.Increment(ref _calls);
        var raw = new MemoryStream();
        await context.Request.Body.CopyToAsync(raw);
        string encoding = context.Request.Headers.ContentEncoding.ToString();
        byte[] body = Decompress(encoding, raw.ToArray());
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in context.Request.Headers)
        {
            headers[header.Key] = header.Value.ToString();
        }

        _received.Enqueue(new HttpReceived(context.Request.Method, context.Request.Path.Value ?? string.Empty, headers, body));
        if (Respond is { } respond)
        {
            await respond(call, context.Response);
        }
    }

    private static byte[] Decompress(string encoding, byte[] data)
    {
        Stream? decoder = encoding switch
        {
            "gzip" => new GZipStream(new MemoryStream(data), CompressionMode.Decompress),
            "deflate" or "zlib" => new ZLibStream(new MemoryStream(data), CompressionMode.Decompress),
            "zstd" => new ZstdSharp.DecompressionStream(new MemoryStream(data)),
            _ => null,
        };
        if (decoder is null)
        {
            return data;
        }

        using (decoder)
        {
            var output = new MemoryStream();
            decoder.CopyTo(output);
            return output.ToArray();
        }
    }
}

internal sealed record HttpReceived(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body);
