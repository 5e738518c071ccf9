using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Proto.Collector.Trace.V1;
using Pipeline.Exporters.OtlpGrpc;

namespace Pipeline.Exporters.Tests.OtlpGrpc;

/// <summary>An in-process OTLP/gRPC trace server on 127.0.0.1 (Kestrel + our generated TraceService base).</summary>
internal sealed class FakeOtlpGrpcServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeOtlpGrpcServer(WebApplication app, FakeTraceService service, int port)
    {
        _app = app;
        Service = service;
        Port = port;
    }

    public FakeTraceService Service { get; }

    public int Port { get; }

    public string Endpoint => "127.0.0.1:" + Port;

    public static async Task<FakeOtlpGrpcServer> StartAsync(int port = 0, X509Certificate2? certificate = null, FakeTraceService? service = null, string? responseCompression = null)
    {
        service ??= new FakeTraceService();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        builder.Services.AddGrpc(options =>
        {
            options.CompressionProviders = [new Grpc.Net.Compression.GzipCompressionProvider(System.IO.Compression.CompressionLevel.Fastest), new ZstdCompressionProvider()];
            options.ResponseCompressionAlgorithm = responseCompression;
        });
        builder.Services.AddSingleton(service);
        var app = builder.Build();
        app.MapGrpcService<FakeTraceService>();
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new FakeOtlpGrpcServer(app, service, new Uri(address).Port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Records every export with its headers; <see cref="Respond"/> decides each call's outcome.</summary>
internal sealed class FakeTraceService : TraceService.TraceServiceBase
{
    private readonly ConcurrentQueue<Received> _received = new();
    private int _calls;

    /// <summary>Called with the 1-based call number; throw an RpcException to fail the call, or return a response.</summary>
    public Func<int, ExportTraceServiceResponse>? Respond { get; set; }

    public int Calls => Volatile.Read(ref _calls);

    public IReadOnlyList<Received> Received => [.. _received];

    public int SpanCount
    {
        get
        {
            int n = 0;
            foreach (var r in _received)
            {
                foreach (var rs in r.Request.ResourceSpans)
                {
                    foreach (var ss in rs.ScopeSpans)
                    {
                        n += ss.Spans.Count;
                    }
                }
            }

            return n;
        }
    }

    public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
    {
        int call = Interlocked.Increment(ref _calls);
        var response = Respond?.Invoke(call) ?? new ExportTraceServiceResponse();
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in context.RequestHeaders)
        {
            if (!entry.IsBinary)
            {
                headers[entry.Key] = entry.Value;
            }
        }

        var http = context.GetHttpContext();
        headers["user-agent"] = http.Request.Headers.UserAgent.ToString();
        headers[":authority"] = http.Request.Host.ToString();
        if (http.Request.Headers.TryGetValue("grpc-encoding", out var encoding))
        {
            headers["grpc-encoding"] = encoding.ToString();
        }
        _received.Enqueue(new Received(request, headers));
        return Task.FromResult(response);
    }
}

internal sealed record Received(ExportTraceServiceRequest Request, IReadOnlyDictionary<string, string> Headers);
