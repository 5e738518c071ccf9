using System.Diagnostics.Metrics;
using Pipeline.Abstractions;
using Pipeline.Exporters.OtlpGrpc;
using Pipeline.Exporters.Tests.Helper;
using Pipeline.Telemetry;

namespace Pipeline.Exporters.Tests.OtlpGrpc;

/// <summary>Settings and configs for exporter tests against real local servers.</summary>
internal static class GrpcTestSupport
{
    public static ComponentSettings Settings(LogLineRecorder logs, string id = "otlp_grpc", TimeProvider? time = null) => new()
    {
        Id = ComponentId.TryParse(id, out var cid, out _) ? cid : throw new ArgumentException(id),
        Kind = ComponentKind.Exporter,
        Logger = logs.CreateLogger("exporters::" + id),
        LoggerFactory = logs,
        Meter = new Meter("Pipeline.Exporters.Tests." + Guid.NewGuid().ToString("N")),
        TimeProvider = time ?? TimeProvider.System,
        BuildVersion = "1.2.3",
    };

    /// <summary>A config for a local plaintext server: short retries, queue off unless asked.</summary>
    public static OtlpGrpcConfig Config(string endpoint, bool queue = false)
    {
        var config = (OtlpGrpcConfig)new OtlpGrpcFactory().CreateDefaultConfig();
        config.Endpoint = endpoint;
        config.Tls.Insecure = true;
        config.Retry.InitialInterval = TimeSpan.FromMilliseconds(20);
        config.Retry.MaxInterval = TimeSpan.FromMilliseconds(100);
        config.Queue.Enabled = queue;
        return config;
    }

    public static IExporter<Traces> Create(ComponentSettings settings, OtlpGrpcConfig config) =>
        new OtlpGrpcFactory().CreateExporter<Traces>(settings, config);
}
