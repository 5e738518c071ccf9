using Microsoft.Extensions.Logging;
using Pipeline.Abstractions;
using Pipeline.Abstractions.Configuration;
using Pipeline.Telemetry;

namespace Pipeline.Connectors.Routing;

/// <summary>Factory of the <c>routing</c> connector (same signal in and out; otelcol-contrib
/// <c>connector/routingconnector</c>, alpha there).</summary>
public sealed partial class RoutingFactory : IConnectorFactory
{
    /// <inheritdoc />
    public string Type => "routing";

    /// <inheritdoc />
    public ComponentKind Kind => ComponentKind.Connector;

    /// <inheritdoc />
    public IReadOnlyDictionary<Signal, StabilityLevel> Stability { get; } = new Dictionary<Signal, StabilityLevel>
    {
        [Signal.Traces] = StabilityLevel.Alpha,
        [Signal.Metrics] = StabilityLevel.Alpha,
        [Signal.Logs] = StabilityLevel.Alpha,
    };

    /// <inheritdoc />
    public IReadOnlyDictionary<(Signal From, Signal To), StabilityLevel> ConnectorStability { get; } = new Dictionary<(Signal, Signal), StabilityLevel>
    {
        [(Signal.Traces, Signal.Traces)] = StabilityLevel.Alpha,
        [(Signal.Metrics, Signal.Metrics)] = StabilityLevel.Alpha,
        [(Signal.Logs, Signal.Logs)] = StabilityLevel.Alpha,
    };

    /// <inheritdoc />
    public IComponentConfig CreateDefaultConfig() => new RoutingConfig();

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">A route or <c>default_pipelines</c> names a pipeline that does not
    /// receive from this connector (otelcol: <c>pipeline not found: missing consumer: "traces/x"</c>).</exception>
    public IConnector<TIn> CreateConnector<TIn, TOut>(ComponentSettings settings, IComponentConfig config, IReadOnlyDictionary<PipelineId, IConsumer<TOut>> next)
        where TIn : TelemetryData
        where TOut : TelemetryData
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(next);
        if (typeof(TIn) != typeof(TOut))
        {
            throw new NotSupportedException("routing connects pipelines of the same signal only.");
        }

        var cfg = (RoutingConfig)config;
        var table = cfg.GetCompiled();
        IConsumer<TIn>? defaultConsumer = null;
        if (cfg.DefaultPipelines.Count > 0)
        {
            var ids = new PipelineId[cfg.DefaultPipelines.Count];
            for (int i = 0; i < ids.Length; i++)
            {
                PipelineId.TryParse(cfg.DefaultPipelines[i], out ids[i], out _);
            }

            defaultConsumer = Consumer<TIn, TOut>(ids, next);
        }

        var routes = new List<CompiledRoute>();
        var consumers = new List<IConsumer<TIn>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        bool hasRequestRoute = false;
        foreach (var route in table)
        {
            string conditionText = route.Condition?.Text ?? route.Text;
            if (!seen.Add("[" + route.Context + "] " + conditionText))
            {
                Log.DuplicateRoute(settings.Logger, route.Text, string.Join(", ", route.Pipelines));
                continue;
            }

            hasRequestRoute |= route.Context == RouteContext.Request;
            routes.Add(route);
            consumers.Add(Consumer<TIn, TOut>(route.Pipelines, next));
        }

        if (hasRequestRoute)
        {
            Log.RequestContextNeedsMetadata(settings.Logger);
        }

        return new RoutingConnector<TIn>([.. routes], [.. consumers], defaultConsumer, cfg.ErrorMode, settings.Logger);
    }

    private static IConsumer<TIn> Consumer<TIn, TOut>(PipelineId[] ids, IReadOnlyDictionary<PipelineId, IConsumer<TOut>> next)
        where TIn : TelemetryData
        where TOut : TelemetryData
    {
        var consumers = new List<IConsumer<TIn>>();
        var missing = new List<string>();
        var added = new HashSet<PipelineId>();
        foreach (var id in ids)
        {
            if (!next.TryGetValue(id, out var consumer))
            {
                missing.Add($"missing consumer: \"{id}\"");
            }
            else if (added.Add(id))
            {
                consumers.Add((IConsumer<TIn>)consumer);
            }
        }

        if (missing.Count > 0)
        {
            throw new InvalidOperationException("pipeline not found: " + string.Join("; ", missing));
        }

        return FanOutConsumer<TIn>.Create(consumers);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Statement \"{Statement}\" already exists in the routing table, the route with target pipeline(s) \"{Pipelines}\" will be ignored.")]
        public static partial void DuplicateRoute(ILogger logger, string statement, string pipelines);

        [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Routes in the request context match on client metadata: the otlp receiver attaches it only with include_metadata: true, and a batch processor before this connector keeps only its metadata_keys.")]
        public static partial void RequestContextNeedsMetadata(ILogger logger);
    }
}
