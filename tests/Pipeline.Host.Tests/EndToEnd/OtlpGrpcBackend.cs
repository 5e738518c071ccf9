using System.Collections.Concurrent;
using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Proto.Collector.Trace.V1;

namespace Pipeline.Host.Tests.EndToEnd;

/// <summary>A real OTLP/gRPC trace backend on 127.0.0.1 (Kestrel, HTTP/2 without TLS) that keeps every request with
/// its metadata.</summary>
internal sealed class OtlpGrpcBackend : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OtlpGrpcBackend(WebApplication app, BackendTraceService service, int port)
    {
        _app = app;
        Service = service;
        Port = port;
    }

    public BackendTraceService Service { get; }

    public int Port { get; }

    public static async Task<OtlpGrpcBackend> StartAsync()
    {
        var service = new BackendTraceService();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(service);
        var app = builder.Build();
        app.MapGrpcService<BackendTraceService>();
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new OtlpGrpcBackend(app, service, new Uri(address).Port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Accepts every export and records it with its ASCII metadata.</summary>
internal sealed class BackendTraceService : TraceService.TraceServiceBase
{
    private readonly ConcurrentQueue<(ExportTraceServiceRequest Request, IReadOnlyDictionary<string, string> Headers)> _received = new();

    public IReadOnlyList<(ExportTraceServiceRequest Request, IReadOnlyDictionary<string, string> Headers)> Received => [.. _received];

    public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in context.RequestHeaders)
        {
            if (!entry.IsBinary)
            {
                headers[entry.Key] = entry.Value;
            }
        }

        _received.Enqueue((request, headers));
        return Task.FromResult(new ExportTraceServiceResponse());
    }
}
