using Microsoft.Extensions.Logging;
using Pipeline.Abstractions;
using Pipeline.Config;
using Pipeline.Telemetry;

namespace Pipeline.Host.Graph;

/// <summary>
/// Turns a validated config into component instances wired by consumers, as otelcol's service/internal/graph does:
/// one receiver per (signal, receiver ID) feeding a fan-out over the pipelines that list it; one processor per
/// (pipeline, processor ID), chained in order; a fan-out after the last processor to the pipeline's exporters; one
/// exporter per (signal, exporter ID); one connector per (connector ID, input signal, output signal), an exporter of
/// the pipelines that list it in <c>exporters</c> and a receiver of those that list it in <c>receivers</c>.
/// Everything is created downstream first, so each component gets a <c>next</c> that already exists, and the creation
/// order is a valid start order. A connector loop is reported as <c>cycle detected: ...</c>.
/// </summary>
internal sealed class GraphBuilder
{
    private static readonly Signal[] AllSignals = [Signal.Traces, Signal.Metrics, Signal.Logs];

    private readonly CollectorConfig _config;
    private readonly GraphSettings _settings;
    private readonly List<GraphComponent> _components = [];
    private readonly HashSet<IComponent> _seen = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<(Signal, ComponentId), object> _exporters = [];
    private readonly Dictionary<PipelineId, object> _entries = [];
    private readonly Dictionary<(ComponentId, Signal, Signal), object> _connectors = [];
    private readonly List<PathFrame> _path = [];

    private GraphBuilder(CollectorConfig config, GraphSettings settings)
    {
        _config = config;
        _settings = settings;
    }

    /// <summary>Builds every component the pipelines use (extensions listed in <c>service::extensions</c> too).</summary>
    /// <exception cref="GraphException">The pipelines cannot be built; the message is otelcol's.</exception>
    public static PipelineGraph Build(CollectorConfig config, GraphSettings settings)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(settings);
        var builder = new GraphBuilder(config, settings);
        builder.CheckConnectors();
        var extensions = builder.BuildExtensions();

        // Exporters first: they have no downstream, so they start first and stop last.
        foreach (var (pipeline, pipelineConfig) in config.Service.Pipelines)
        {
            foreach (var id in pipelineConfig.Exporters)
            {
                if (!config.Connectors.ContainsKey(id))
                {
                    _ = pipeline.Signal switch
                    {
                        Signal.Traces => builder.GetExporter<Traces>(id, pipeline.Signal),
                        Signal.Metrics => builder.GetExporter<Metrics>(id, pipeline.Signal),
                        _ => (object)builder.GetExporter<Logs>(id, pipeline.Signal),
                    };
                }
            }
        }

        foreach (var pipeline in config.Service.Pipelines.Keys)
        {
            builder.GetEntry(pipeline);
        }

        // Receivers last: they start once everything downstream is running.
        var receivers = new Dictionary<(Signal, ComponentId), List<PipelineId>>();
        var receiverOrder = new List<(Signal, ComponentId)>();
        foreach (var (pipeline, pipelineConfig) in config.Service.Pipelines)
        {
            foreach (var id in pipelineConfig.Receivers)
            {
                if (config.Connectors.ContainsKey(id))
                {
                    continue;
                }

                var key = (pipeline.Signal, id);
                if (!receivers.TryGetValue(key, out var list))
                {
                    receivers[key] = list = [];
                    receiverOrder.Add(key);
                }

                list.Add(pipeline);
            }
        }

        foreach (var key in receiverOrder)
        {
            var (signal, id) = key;
            switch (signal)
            {
                case Signal.Traces: builder.BuildReceiver<Traces>(id, signal, receivers[key]); break;
                case Signal.Metrics: builder.BuildReceiver<Metrics>(id, signal, receivers[key]); break;
                default: builder.BuildReceiver<Logs>(id, signal, receivers[key]); break;
            }
        }

        return new PipelineGraph(extensions, builder._components, settings.LoggerFactory.CreateLogger("service"), CollectorEndpoints.From(config));
    }

    private void CheckConnectors()
    {
        foreach (var (id, entry) in _config.Connectors)
        {
            if (entry.Factory is not IConnectorFactory factory)
            {
                continue;
            }

            var asExporter = new List<PipelineId>();
            var asReceiver = new List<PipelineId>();
            foreach (var (pipeline, pipelineConfig) in _config.Service.Pipelines)
            {
                if (pipelineConfig.Exporters.Contains(id))
                {
                    asExporter.Add(pipeline);
                }

                if (pipelineConfig.Receivers.Contains(id))
                {
                    asReceiver.Add(pipeline);
                }
            }

            foreach (var from in asExporter)
            {
                if (!asReceiver.Exists(to => factory.ConnectorStability.ContainsKey((from.Signal, to.Signal))))
                {
                    throw new GraphException($"connector \"{id}\" used as exporter in [{from}] pipeline but not used in any supported receiver pipeline");
                }
            }

            foreach (var to in asReceiver)
            {
                if (!asExporter.Exists(from => factory.ConnectorStability.ContainsKey((from.Signal, to.Signal))))
                {
                    throw new GraphException($"connector \"{id}\" used as receiver in [{to}] pipeline but not used in any supported exporter pipeline");
                }
            }
        }
    }

    private List<GraphComponent> BuildExtensions()
    {
        var extensions = new List<GraphComponent>();
        foreach (var id in _config.Service.Extensions)
        {
            if (!_config.Extensions.TryGetValue(id, out var entry) || entry.Factory is not IExtensionFactory factory)
            {
                throw new GraphException($"extension \"{id}\" is not configured");
            }

            IExtension extension;
            try
            {
                extension = factory.CreateExtension(Settings(ComponentKind.Extension, id, null), entry.Config);
            }
            catch (Exception e)
            {
                throw new GraphException($"failed to create extension \"{id}\": {e.Message}", e);
            }

            extensions.Add(new GraphComponent(ComponentKind.Extension, id, extension, $"extension \"{id}\""));
        }

        return extensions;
    }

    private object GetEntry(PipelineId pipeline) => pipeline.Signal switch
    {
        Signal.Traces => GetEntry<Traces>(pipeline),
        Signal.Metrics => GetEntry<Metrics>(pipeline),
        _ => GetEntry<Logs>(pipeline),
    };

    private IConsumer<T> GetEntry<T>(PipelineId pipeline)
        where T : TelemetryData
    {
        if (_entries.TryGetValue(pipeline, out var built))
        {
            return (IConsumer<T>)built;
        }

        int onPath = _path.FindIndex(f => f.Pipeline == pipeline);
        if (onPath >= 0)
        {
            throw new GraphException("cycle detected: " + DescribeCycle(onPath));
        }

        _path.Add(new PathFrame(pipeline, null));
        var pipelineConfig = _config.Service.Pipelines[pipeline];
        var consumers = new List<IConsumer<T>>();
        foreach (var id in pipelineConfig.Exporters)
        {
            if (_config.Connectors.ContainsKey(id))
            {
                ConnectorsAsExporter(id, pipeline, consumers);
            }
            else
            {
                consumers.Add(GetExporter<T>(id, pipeline.Signal));
            }
        }

        var next = FanOutConsumer<T>.Create(consumers);
        bool mutates = false;
        for (int i = pipelineConfig.Processors.Count - 1; i >= 0; i--)
        {
            var id = pipelineConfig.Processors[i];
            var entry = Lookup(_config.Processors, ComponentKind.Processor, id);
            var factory = (IProcessorFactory)entry.Factory;
            CheckSupported(factory, ComponentKind.Processor, id, pipeline.Signal);
            IProcessor<T> processor;
            try
            {
                processor = factory.CreateProcessor(Settings(ComponentKind.Processor, id, pipeline), entry.Config, next);
            }
            catch (Exception e) when (e is not GraphException)
            {
                throw CreateFailed(ComponentKind.Processor, id, pipeline.Signal, e);
            }

            Add(new GraphComponent(ComponentKind.Processor, id, processor, $"processor \"{id}\" in pipeline \"{pipeline}\""));
            mutates |= processor.Capabilities.MutatesData;
            next = processor;
        }

        _path.RemoveAt(_path.Count - 1);
        var result = new PipelineEntryConsumer<T>(pipeline, next, mutates);
        _entries[pipeline] = result;
        return result;
    }

    private IExporter<T> GetExporter<T>(ComponentId id, Signal signal)
        where T : TelemetryData
    {
        if (_exporters.TryGetValue((signal, id), out var built))
        {
            return (IExporter<T>)built;
        }

        var entry = Lookup(_config.Exporters, ComponentKind.Exporter, id);
        var factory = (IExporterFactory)entry.Factory;
        CheckSupported(factory, ComponentKind.Exporter, id, signal);
        IExporter<T> exporter;
        try
        {
            exporter = factory.CreateExporter<T>(Settings(ComponentKind.Exporter, id, null), entry.Config);
        }
        catch (Exception e)
        {
            throw CreateFailed(ComponentKind.Exporter, id, signal, e);
        }

        _exporters[(signal, id)] = exporter;
        Add(new GraphComponent(ComponentKind.Exporter, id, exporter, $"exporter \"{id}\""));
        return exporter;
    }

    private void ConnectorsAsExporter<TIn>(ComponentId id, PipelineId pipeline, List<IConsumer<TIn>> consumers)
        where TIn : TelemetryData
    {
        var entry = _config.Connectors[id];
        var factory = (IConnectorFactory)entry.Factory;
        foreach (var to in AllSignals)
        {
            if (!factory.ConnectorStability.ContainsKey((pipeline.Signal, to)))
            {
                continue;
            }

            var targets = new List<PipelineId>();
            foreach (var (target, targetConfig) in _config.Service.Pipelines)
            {
                if (target.Signal == to && targetConfig.Receivers.Contains(id))
                {
                    targets.Add(target);
                }
            }

            if (targets.Count == 0)
            {
                continue;
            }

            consumers.Add(to switch
            {
                Signal.Traces => GetConnector<TIn, Traces>(id, entry, factory, pipeline.Signal, to, targets),
                Signal.Metrics => GetConnector<TIn, Metrics>(id, entry, factory, pipeline.Signal, to, targets),
                _ => GetConnector<TIn, Logs>(id, entry, factory, pipeline.Signal, to, targets),
            });
        }
    }

    private IConnector<TIn> GetConnector<TIn, TOut>(ComponentId id, ComponentEntry entry, IConnectorFactory factory, Signal from, Signal to, List<PipelineId> targets)
        where TIn : TelemetryData
        where TOut : TelemetryData
    {
        if (_connectors.TryGetValue((id, from, to), out var built))
        {
            return (IConnector<TIn>)built;
        }

        string description = $"connector \"{id}\" ({from.ToName()} to {to.ToName()})";
        _path.Add(new PathFrame(null, description));
        var next = new Dictionary<PipelineId, IConsumer<TOut>>();
        foreach (var target in targets)
        {
            next[target] = GetEntry<TOut>(target);
        }

        _path.RemoveAt(_path.Count - 1);
        IConnector<TIn> connector;
        try
        {
            connector = factory.CreateConnector<TIn, TOut>(Settings(ComponentKind.Connector, id, null), entry.Config, next);
        }
        catch (Exception e)
        {
            throw new GraphException($"failed to create \"{id}\" connector for data type \"{from.ToName()}\" to \"{to.ToName()}\": {e.Message}", e);
        }

        _connectors[(id, from, to)] = connector;
        Add(new GraphComponent(ComponentKind.Connector, id, connector, description));
        return connector;
    }

    private void BuildReceiver<T>(ComponentId id, Signal signal, List<PipelineId> pipelines)
        where T : TelemetryData
    {
        var entry = Lookup(_config.Receivers, ComponentKind.Receiver, id);
        var factory = (IReceiverFactory)entry.Factory;
        CheckSupported(factory, ComponentKind.Receiver, id, signal);
        var consumers = new List<IConsumer<T>>(pipelines.Count);
        foreach (var pipeline in pipelines)
        {
            consumers.Add(GetEntry<T>(pipeline));
        }

        IReceiver receiver;
        try
        {
            receiver = factory.CreateReceiver(Settings(ComponentKind.Receiver, id, null), entry.Config, FanOutConsumer<T>.Create(consumers));
        }
        catch (Exception e)
        {
            throw CreateFailed(ComponentKind.Receiver, id, signal, e);
        }

        Add(new GraphComponent(ComponentKind.Receiver, id, receiver, $"receiver \"{id}\""));
    }

    private void Add(GraphComponent component)
    {
        // A factory may return one instance for several signals (otelcol's shared component): start it once.
        if (_seen.Add(component.Component))
        {
            _components.Add(component);
        }
    }

    private ComponentSettings Settings(ComponentKind kind, ComponentId id, PipelineId? pipeline) => new()
    {
        Id = id,
        Kind = kind,
        Logger = _settings.LoggerFactory.CreateLogger(ComponentSettings.Category(kind, id)),
        LoggerFactory = _settings.LoggerFactory,
        Meter = _settings.Meter,
        TimeProvider = _settings.TimeProvider,
        Pipeline = pipeline,
        BuildVersion = _settings.BuildVersion,
    };

    private static ComponentEntry Lookup(Dictionary<ComponentId, ComponentEntry> section, ComponentKind kind, ComponentId id)
    {
        if (!section.TryGetValue(id, out var entry))
        {
            throw new GraphException($"{kind.SingularName()} \"{id}\" is not configured");
        }

        return entry;
    }

    private static void CheckSupported(IComponentFactory factory, ComponentKind kind, ComponentId id, Signal signal)
    {
        if (!factory.Stability.ContainsKey(signal))
        {
            throw new GraphException($"failed to create \"{id}\" {kind.SingularName()} for data type \"{signal.ToName()}\": telemetry type is not supported");
        }
    }

    private static GraphException CreateFailed(ComponentKind kind, ComponentId id, Signal signal, Exception e) =>
        e as GraphException ?? new GraphException($"failed to create \"{id}\" {kind.SingularName()} for data type \"{signal.ToName()}\": {e.Message}", e);

    private string DescribeCycle(int start)
    {
        // The frame before re-entering the pipeline is the connector that closes the loop; start and end with it.
        string closing = _path[^1].Connector!;
        var parts = new List<string> { closing };
        for (int i = start; i < _path.Count - 1; i++)
        {
            var frame = _path[i];
            if (frame.Pipeline is { } pipeline)
            {
                foreach (var processor in _config.Service.Pipelines[pipeline].Processors)
                {
                    parts.Add($"processor \"{processor}\" in pipeline \"{pipeline}\"");
                }
            }
            else
            {
                parts.Add(frame.Connector!);
            }
        }

        parts.Add(closing);
        return string.Join(" -> ", parts);
    }

    private readonly record struct PathFrame(PipelineId? Pipeline, string? Connector);
}
