using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Pipeline.Host.SelfTelemetry;

/// <summary>
/// Serves <c>service::telemetry::metrics</c> in the Prometheus text format at <c>http://host:port/metrics</c>
/// (default localhost:8888, as otelcol's default pull reader).
/// </summary>
internal sealed class PrometheusEndpoint : IAsyncDisposable
{
    private readonly MetricsRegistry _registry;
    private WebApplication? _app;

    public PrometheusEndpoint(MetricsRegistry registry) => _registry = registry;

    /// <summary>The bound address (port 0 resolved), once started.</summary>
    public Uri? Address { get; private set; }

    public async Task StartAsync(string host, int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            if (host is "" or "0.0.0.0" or "::")
            {
                k.ListenAnyIP(port);
            }
            else if (host == "localhost")
            {
                k.ListenLocalhost(port);
            }
            else
            {
                k.Listen(IPAddress.Parse(host), port);
            }
        });
        _app = builder.Build();
        _app.Map("/metrics", context =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            return context.Response.WriteAsync(_registry.Render());
        });
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        string address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Address = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
            _app = null;
        }
    }
}
