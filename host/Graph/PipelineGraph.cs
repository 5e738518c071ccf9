using Microsoft.Extensions.Logging;
using Pipeline.Abstractions;

namespace Pipeline.Host.Graph;

/// <summary>
/// The built components and their lifecycle: extensions start first, then the pipeline components in creation order
/// (downstream first: exporters, processors, receivers); shutdown runs the other way round so receivers stop accepting
/// before processors flush and exporters drain. Shutdown works whether or not start ran, and runs at most once.
/// </summary>
internal sealed partial class PipelineGraph
{
    private readonly ILogger _logger;
    private readonly List<GraphComponent> _attempted = [];
    private readonly Lock _gate = new();
    private bool _started;
    private bool _stopped;

    /// <summary>Creates the graph.</summary>
    public PipelineGraph(IReadOnlyList<GraphComponent> extensions, IReadOnlyList<GraphComponent> components, ILogger logger, ICollectorEndpoints? endpoints = null)
    {
        Endpoints = endpoints ?? CollectorEndpoints.None;
        Extensions = extensions;
        Components = components;
        _logger = logger;
    }

    /// <summary>The configured endpoints, offered to starting components through the host.</summary>
    public ICollectorEndpoints Endpoints { get; }

    /// <summary>The extensions, in start order.</summary>
    public IReadOnlyList<GraphComponent> Extensions { get; }

    /// <summary>The pipeline components, in start order (each once, even when shared by several signals).</summary>
    public IReadOnlyList<GraphComponent> Components { get; }

    /// <summary>Starts everything. On a failure, stops what was started and throws <see cref="GraphStartException"/>.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_started || _stopped)
            {
                throw new InvalidOperationException("The pipelines were already started or stopped.");
            }

            _started = true;
        }

        var host = new ComponentHost(Extensions, Endpoints);
        Log.StartingExtensions(_logger);
        foreach (var component in Extensions)
        {
            await StartOneAsync(component, host, cancellationToken).ConfigureAwait(false);
        }

        Log.StartingPipelines(_logger);
        foreach (var component in Components)
        {
            await StartOneAsync(component, host, cancellationToken).ConfigureAwait(false);
        }

        NotifyWatchers(ready: true);
    }

    /// <summary>
    /// Stops every component (every one that start reached, or all when start never ran), upstream first, each bounded
    /// by <paramref name="cancellationToken"/>. Failures are logged and returned; the rest still stop.
    /// </summary>
    public async Task<IReadOnlyList<Exception>> ShutdownAsync(CancellationToken cancellationToken)
    {
        List<GraphComponent> toStop;
        lock (_gate)
        {
            if (_stopped)
            {
                return [];
            }

            _stopped = true;
            toStop = _started ? [.. _attempted] : [.. Extensions, .. Components];
        }

        NotifyWatchers(ready: false);
        return await StopAsync(toStop, cancellationToken).ConfigureAwait(false);
    }

    private void NotifyWatchers(bool ready)
    {
        // Extensions such as health_check report readiness (otelcol's extension.PipelineWatcher).
        foreach (var extension in Extensions)
        {
            if (extension.Component is IPipelineWatcher watcher)
            {
                if (ready)
                {
                    watcher.Ready();
                }
                else
                {
                    watcher.NotReady();
                }
            }
        }
    }

    private async Task StartOneAsync(GraphComponent component, ComponentHost host, CancellationToken cancellationToken)
    {
        Log.StartingComponent(_logger, component.Description);
        lock (_gate)
        {
            _attempted.Add(component);
        }

        try
        {
            await component.Component.StartAsync(host, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            var error = new GraphStartException($"failed to start \"{component.Id}\" {component.Kind.SingularName()}: {e.Message}", e);
            List<GraphComponent> toStop;
            lock (_gate)
            {
                _stopped = true;
                toStop = [.. _attempted];
            }

            NotifyWatchers(ready: false);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await StopAsync(toStop, timeout.Token).ConfigureAwait(false);
            throw error;
        }
    }

    private async Task<IReadOnlyList<Exception>> StopAsync(List<GraphComponent> started, CancellationToken cancellationToken)
    {
        var errors = new List<Exception>();
        bool pipelinesLogged = false;
        bool extensionsLogged = false;
        for (int i = started.Count - 1; i >= 0; i--)
        {
            var component = started[i];
            if (component.Kind == ComponentKind.Extension ? !extensionsLogged : !pipelinesLogged)
            {
                if (component.Kind == ComponentKind.Extension)
                {
                    extensionsLogged = true;
                    Log.StoppingExtensions(_logger);
                }
                else
                {
                    pipelinesLogged = true;
                    Log.StoppingPipelines(_logger);
                }
            }

            Log.StoppingComponent(_logger, component.Description);
            try
            {
                await component.Component.ShutdownAsync(cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
            {
                var error = new TimeoutException($"failed to shutdown {component.Description}: shutdown timed out", e);
                errors.Add(error);
                Log.ShutdownFailed(_logger, component.Description, error);
            }
            catch (Exception e)
            {
                errors.Add(e);
                Log.ShutdownFailed(_logger, component.Description, e);
            }
        }

        return errors;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Starting extensions...")]
        public static partial void StartingExtensions(ILogger logger);

        [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Starting pipelines...")]
        public static partial void StartingPipelines(ILogger logger);

        [LoggerMessage(EventId = 102, Level = LogLevel.Debug, Message = "Starting {Component}.")]
        public static partial void StartingComponent(ILogger logger, string component);

        [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Stopping pipelines...")]
        public static partial void StoppingPipelines(ILogger logger);

        [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "Stopping extensions...")]
        public static partial void StoppingExtensions(ILogger logger);

        [LoggerMessage(EventId = 105, Level = LogLevel.Debug, Message = "Stopping {Component}.")]
        public static partial void StoppingComponent(ILogger logger, string component);

        [LoggerMessage(EventId = 106, Level = LogLevel.Error, Message = "Failed to shut down {Component}.")]
        public static partial void ShutdownFailed(ILogger logger, string component, Exception error);
    }
}
