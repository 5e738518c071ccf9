using Pipeline.Abstractions;
using Pipeline.Abstractions.Configuration;
using Pipeline.Telemetry;

namespace Pipeline.Config.Tests.Fakes;

/// <summary>Factories for the loader tests: they declare types, aliases and signals; creating components is not
/// part of loading, so the create methods refuse.</summary>
internal static class FakeFactories
{
    public static readonly IReadOnlyDictionary<Signal, StabilityLevel> AllSignals = new Dictionary<Signal, StabilityLevel>
    {
        [Signal.Traces] = StabilityLevel.Stable,
        [Signal.Metrics] = StabilityLevel.Stable,
        [Signal.Logs] = StabilityLevel.Beta,
    };

    public static readonly IReadOnlyDictionary<Signal, StabilityLevel> TracesOnly = new Dictionary<Signal, StabilityLevel>
    {
        [Signal.Traces] = StabilityLevel.Alpha,
    };

    /// <summary>Receivers <c>fake</c>, <c>zeta</c>; processor <c>batch</c>; exporters <c>otlp_grpc</c> (alias
    /// <c>otlp</c>), <c>debug</c>, <c>zipkin</c> (traces only); connector <c>forward</c> (traces → traces);
    /// extension <c>health_check</c>.</summary>
    public static FactoryRegistry Registry() => new FactoryRegistry()
        .Add(new Receiver("zeta", AllSignals))
        .Add(new Receiver("fake", AllSignals))
        .Add(new Processor("batch"))
        .Add(new Exporter("otlp_grpc", ["otlp"], AllSignals))
        .Add(new Exporter("debug", [], AllSignals))
        .Add(new Exporter("zipkin", [], TracesOnly))
        .Add(new Connector("forward"))
        .Add(new Extension("health_check"));

    internal sealed class Receiver(string type, IReadOnlyDictionary<Signal, StabilityLevel> stability) : IReceiverFactory
    {
        public string Type => type;

        public ComponentKind Kind => ComponentKind.Receiver;

        public IReadOnlyDictionary<Signal, StabilityLevel> Stability => stability;

        public IComponentConfig CreateDefaultConfig() => new FakeReceiverConfig();

        public IReceiver CreateReceiver<T>(ComponentSettings settings, IComponentConfig config, IConsumer<T> next)
            where T : TelemetryData => throw new NotSupportedException();
    }

    internal sealed class Processor(string type) : IProcessorFactory
    {
        public string Type => type;

        public ComponentKind Kind => ComponentKind.Processor;

        public IReadOnlyDictionary<Signal, StabilityLevel> Stability => AllSignals;

        public IComponentConfig CreateDefaultConfig() => new FakeBatchConfig();

        public IProcessor<T> CreateProcessor<T>(ComponentSettings settings, IComponentConfig config, IConsumer<T> next)
            where T : TelemetryData => throw new NotSupportedException();
    }

    internal sealed class Exporter(string type, IReadOnlyList<string> aliases, IReadOnlyDictionary<Signal, StabilityLevel> stability)
        : IExporterFactory
    {
        public string Type => type;

        public IReadOnlyList<string> DeprecatedAliases => aliases;

        public ComponentKind Kind => ComponentKind.Exporter;

        public IReadOnlyDictionary<Signal, StabilityLevel> Stability => stability;

        public IComponentConfig CreateDefaultConfig() => new FakeExporterConfig();

        public IExporter<T> CreateExporter<T>(ComponentSettings settings, IComponentConfig config)
            where T : TelemetryData => throw new NotSupportedException();
    }

    internal sealed class Connector(string type) : IConnectorFactory
    {
        public string Type => type;

        public ComponentKind Kind => ComponentKind.Connector;

        public IReadOnlyDictionary<Signal, StabilityLevel> Stability => TracesOnly;

        public IReadOnlyDictionary<(Signal From, Signal To), StabilityLevel> ConnectorStability { get; } =
            new Dictionary<(Signal From, Signal To), StabilityLevel> { [(Signal.Traces, Signal.Traces)] = StabilityLevel.Beta };

        public IComponentConfig CreateDefaultConfig() => new FakeExporterConfig();

        public IConnector<TIn> CreateConnector<TIn, TOut>(ComponentSettings settings, IComponentConfig config, IReadOnlyDictionary<PipelineId, IConsumer<TOut>> next)
            where TIn : TelemetryData
            where TOut : TelemetryData => throw new NotSupportedException();
    }

    internal sealed class Extension(string type) : IExtensionFactory
    {
        public string Type => type;

        public ComponentKind Kind => ComponentKind.Extension;

        public IReadOnlyDictionary<Signal, StabilityLevel> Stability => AllSignals;

        public IComponentConfig CreateDefaultConfig() => new FakeExporterConfig();

        public IExtension CreateExtension(ComponentSettings settings, IComponentConfig config) => throw new NotSupportedException();
    }
}
