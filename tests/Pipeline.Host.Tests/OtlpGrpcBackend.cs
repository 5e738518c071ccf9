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

namespace Pipeline.Host.Tests;

/// <summary>
/// A real OTLP/gRPC trace backend for the collector under test to export to: Kestrel on 127.0.0.1 (h2c). It counts
/// every span id it receives (and how often), keeps whole requests with their ASCII metadata when asked, and with
/// <c>hold</c> makes calls wait until <see cref="Release"/> (a stuck backend).
/// </summary>
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

    /// <summary>Distinct span IDs received (hex).</summary>
    public ICollection<string> SpanIds => Service.Seen.Keys;

    /// <summary>Spans received counting duplicates.</summary>
    public long SpansWithDuplicates => Interlocked.Read(ref Service.Total);

    /// <summary>Starts on <paramref name="port"/> (0: any free port).</summary>
    public static async Task<OtlpGrpcBackend> StartAsync(int port = 0, bool hold = false, bool keepRequests = false)
    {
        var service = new BackendTraceService { KeepRequests = keepRequests };
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
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new OtlpGrpcBackend(app, service, new Uri(address).Port);
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

/// <summary>Counts span IDs and keeps requests when asked; waits on <see cref="Gate"/> first when one is set.</summary>
internal sealed class BackendTraceService : TraceService.TraceServiceBase
{
    private readonly ConcurrentQueue<(ExportTraceServiceRequest Request, IReadOnlyDictionary<string, string> Headers)> _received = new();

    public long Total;

    public bool KeepRequests { get; init; }

    public ConcurrentDictionary<string, int> Seen { get; } = new(StringComparer.Ordinal);

    public TaskCompletionSource? Gate { get; set; }

    /// <summary>Requests with their ASCII metadata (only with <see cref="KeepRequests"/>).</summary>
    public IReadOnlyList<(ExportTraceServiceRequest Request, IReadOnlyDictionary<string, string> Headers)> Received => [.. _received];

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

        if (KeepRequests)
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
        }

        return new ExportTraceServiceResponse();
    }
}
