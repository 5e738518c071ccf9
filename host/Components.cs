using Pipeline.Config;
using Pipeline.Connectors.Forward;
using Pipeline.Connectors.Routing;
using Pipeline.Connectors.SpanMetrics;
using Pipeline.Exporters.Debug;
using Pipeline.Exporters.File;
using Pipeline.Exporters.Nop;
using Pipeline.Exporters.OtlpGrpc;
using Pipeline.Exporters.OtlpHttp;
using Pipeline.Extensions.FileStorage;
using Pipeline.Extensions.HealthCheck;
using Pipeline.Processors.Attributes;
using Pipeline.Processors.Batch;
using Pipeline.Processors.Filter;
using Pipeline.Processors.MemoryLimiter;
using Pipeline.Processors.ProbabilisticSampler;
using Pipeline.Processors.Resource;
using Pipeline.Processors.TailSampling;
using Pipeline.Receivers.Ebpf;
using Pipeline.Receivers.Otlp;

namespace Pipeline.Host;

/// <summary>The factories this distribution ships: an explicit list, so the host needs no reflection.</summary>
internal static class Components
{
    /// <summary>Creates the registry of every shipped factory.</summary>
    public static FactoryRegistry Create()
    {
        var registry = new FactoryRegistry();

        // Receivers.
        registry.Add(new OtlpReceiverFactory());
        registry.Add(new EbpfReceiverFactory());

        // Processors.
        registry.Add(new BatchProcessorFactory());
        registry.Add(new MemoryLimiterFactory());
        registry.Add(new AttributesProcessorFactory());
        registry.Add(new ResourceProcessorFactory());
        registry.Add(new ProbabilisticSamplerProcessorFactory());
        registry.Add(new FilterProcessorFactory());
        registry.Add(new TailSamplingProcessorFactory());

        // Exporters.
        registry.Add(new DebugExporterFactory());
        registry.Add(new FileExporterFactory());
        registry.Add(new NopExporterFactory());
        registry.Add(new OtlpGrpcFactory());
        registry.Add(new OtlpHttpFactory());

        // Connectors.
        registry.Add(new ForwardFactory());
        registry.Add(new SpanMetricsFactory());
        registry.Add(new RoutingFactory());

        // Extensions.
        registry.Add(new HealthCheckFactory());
        registry.Add(new FileStorageFactory());
        return registry;
    }
}
