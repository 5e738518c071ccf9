using System.Collections.Concurrent;
using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Proto.Collector.Trace.V1;

namespace Pipeline.Host.Tests.Durability;

/// <summary>
/// The backend the collector exports to: an OTLP/gRPC trace server on 127.0.0.1 (Kestrel, h2c) that records every span
/// ID it receives and how often. <see cref="Hold"/> makes calls wait until <see cref="Release"/> (a stuck backend).
/// </summary>
internal sealed class OtlpBackend : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OtlpBackend(WebApplication app, BackendTraceService service)
    {
        _app = app;
        Service = service;
    }

    public BackendTraceService Service { get; }

    /// <summary>Distinct span IDs received (hex).</summary>
    public ICollection<string> SpanIds => Service.Seen.Keys;

    /// <summary>Spans received counting duplicates.</summary>
    public long SpansWithDuplicates => Interlocked.Read(ref Service.Total);

    public static async Task<OtlpBackend> StartAsync(int port, bool hold = false)
    {
        var service = new BackendTraceService();
        if (hold)
        {
            service.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.Http2.MaxStreamsPerConnection = 1000;
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2);
        });
        builder.Services.AddGrpc(options => options.MaxReceiveMessageSize = 64 * 1024 * 1024);
        builder.Services.AddSingleton(service);
        var app = builder.Build();
        app.MapGrpcService<BackendTraceService>();
        await app.StartAsync();
        return new OtlpBackend(app, service);
    }

    /// <summary>Lets held calls (and every later one) through.</summary>
    public void Release() => Service.Gate?.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Counts span IDs; waits on <see cref="Gate"/> first when one is set.</summary>
internal sealed class BackendTraceService : TraceService.TraceServiceBase
{
    public long Total;

    public ConcurrentDictionary<string, int> Seen { get; } = new(StringComparer.Ordinal);

    public TaskCompletionSource? Gate { get; set; }

    public override async Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
    {
        if (Gate is { } gate)
        {
            await gate.Task.WaitAsync(context.CancellationToken);
        }

        foreach (var rs in request.ResourceSpans)
        {
            foreach (var ss in rs.ScopeSpans)
            {
                foreach (var span in ss.Spans)
                {
                    Seen.AddOrUpdate(Convert.ToHexString(span.SpanId.Span), 1, static (_, n) => n + 1);
                    Interlocked.Increment(ref Total);
                }
            }
        }

        return new ExportTraceServiceResponse();
    }
}
