using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Abstractions;
using Pipeline.Abstractions.Configuration;

namespace Pipeline.Extensions.HealthCheck;

/// <summary>
/// Answers 200 <c>{"status":"Server available","upSince":…,"uptime":…}</c> once the pipelines run, and 503
/// <c>{"status":"Server not available",…}</c> while they start or stop — otelcol's bodies and semantics
/// (internal/healthcheck/handler.go). Like otelcol it does not check the HTTP method.
/// </summary>
internal sealed partial class HealthCheckExtension : IExtension, IPipelineWatcher
{
    private readonly HealthCheckConfig _config;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private WebApplication? _app;
    private volatile bool _ready;
    private DateTimeOffset _upSince;

    public HealthCheckExtension(HealthCheckConfig config, ComponentSettings settings)
    {
        _config = config;
        _logger = settings.Logger;
        _time = settings.TimeProvider;
    }

    /// <summary>The address actually bound (port 0 resolved), once started.</summary>
    public Uri? BoundAddress { get; private set; }

    public async Task StartAsync(IComponentHost host, CancellationToken cancellationToken)
    {
        HostPort.TryParse(_config.Endpoint, out string hostName, out int port);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            if (hostName.Length == 0 || hostName is "0.0.0.0" or "::")
            {
                k.ListenAnyIP(port);
            }
            else if (hostName == "localhost")
            {
                k.ListenLocalhost(port);
            }
            else
            {
                k.Listen(IPAddress.Parse(hostName), port);
            }
        });
        _app = builder.Build();
        _app.Map(_config.Path, HandleAsync);
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BoundAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
        Log.Started(_logger, _config.Endpoint, _config.Path);
    }

    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        _ready = false;
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
            _app = null;
        }
    }

    public void Ready()
    {
        _upSince = _time.GetUtcNow();
        _ready = true;
    }

    public void NotReady() => _ready = false;

    private Task HandleAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        if (_ready)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            var uptime = _time.GetUtcNow() - _upSince;
            return context.Response.WriteAsync(_config.HealthyBody ?? string.Create(
                CultureInfo.InvariantCulture,
                $"{{\"status\":\"Server available\",\"upSince\":\"{_upSince.UtcDateTime:yyyy-MM-ddTHH:mm:ss.FFFFFFF}Z\",\"uptime\":\"{GoDuration.Format(uptime)}\"}}"));
        }

        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        return context.Response.WriteAsync(_config.UnhealthyBody ?? "{\"status\":\"Server not available\",\"upSince\":\"0001-01-01T00:00:00Z\",\"uptime\":\"\"}");
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Health check endpoint listening on {Endpoint}, path {Path}.")]
        public static partial void Started(ILogger logger, string endpoint, string path);
    }
}
