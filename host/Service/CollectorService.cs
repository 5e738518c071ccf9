using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Pipeline.Config;
using Pipeline.Host.Graph;
using Pipeline.Host.SelfTelemetry;

namespace Pipeline.Host.Service;

/// <summary>
/// One run of the collector: build the pipelines, start them (exit 1 with otelcol's message if anything fails, before
/// or while binding), run until stopped, then shut down upstream first within <see cref="ShutdownTimeout"/>.
/// </summary>
internal sealed partial class CollectorService
{
    private readonly CollectorConfig _config;
    private readonly ILoggerFactory _loggers;
    private readonly TextWriter _stderr;
    private readonly ILogger _logger;

    /// <summary>Creates the service.</summary>
    public CollectorService(CollectorConfig config, ILoggerFactory loggers, TextWriter stderr)
    {
        _config = config;
        _loggers = loggers;
        _stderr = stderr;
        _logger = loggers.CreateLogger("service");
    }

    /// <summary>The name of the one meter every component records its otelcol_* metrics on.</summary>
    public const string MeterName = "Pipeline";

    /// <summary>How long the whole shutdown may take before components are abandoned.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock components get.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Runs until <paramref name="stop"/> fires; returns the exit code.</summary>
    public async Task<int> RunAsync(CancellationToken stop)
    {
        using var metrics = new MetricsRegistry(MeterName);
        using var meter = new Meter(MeterName, BuildInfo.Version);
        ProcessMetrics.Register(meter);
        Log.SettingUpTelemetry(_logger);
        Log.Starting(_logger, BuildInfo.Version, Environment.ProcessorCount);
        PipelineGraph graph;
        try
        {
            graph = GraphBuilder.Build(_config, new GraphSettings { LoggerFactory = _loggers, Meter = meter, TimeProvider = TimeProvider });
        }
        catch (GraphException e)
        {
            await _stderr.WriteLineAsync("Error: failed to build pipelines: " + e.Message).ConfigureAwait(false);
            return 1;
        }

        var telemetry = _config.Service.Telemetry;
        await using var endpoint = new PrometheusEndpoint(metrics);
        if (telemetry.MetricsLevel != "none" && telemetry.MetricsPullEnabled)
        {
            try
            {
                await endpoint.StartAsync(telemetry.MetricsHost, telemetry.MetricsPort, stop).ConfigureAwait(false);
                Log.ServingMetrics(_logger, endpoint.Address!.ToString());
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException or FormatException)
            {
                await _stderr.WriteLineAsync($"Error: failed to create telemetry: binding address {telemetry.MetricsHost}:{telemetry.MetricsPort} for Prometheus exporter: {e.Message}").ConfigureAwait(false);
                return 1;
            }
        }

        try
        {
            await graph.StartAsync(stop).ConfigureAwait(false);
        }
        catch (GraphStartException e)
        {
            await _stderr.WriteLineAsync("Error: cannot start pipelines: " + e.Message).ConfigureAwait(false);
            return 1;
        }

        Log.Ready(_logger);
        try
        {
            await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        Log.ShuttingDown(_logger);
        using var timeout = new CancellationTokenSource(ShutdownTimeout);
        await graph.ShutdownAsync(timeout.Token).ConfigureAwait(false);
        Log.ShutdownComplete(_logger);
        return 0;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Setting up own telemetry...")]
        public static partial void SettingUpTelemetry(ILogger logger);

        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Starting pipeline version {Version} on {NumCpu} CPUs.")]
        public static partial void Starting(ILogger logger, string version, int numCpu);

        [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Serving the collector's own metrics at {Address}metrics.")]
        public static partial void ServingMetrics(ILogger logger, string address);

        [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Everything is ready. Begin running and processing data.")]
        public static partial void Ready(ILogger logger);

        [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Received signal from OS. Starting shutdown...")]
        public static partial void ShuttingDown(ILogger logger);

        [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Shutdown complete.")]
        public static partial void ShutdownComplete(ILogger logger);
    }
}
