using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Pipeline.Telemetry;

namespace Pipeline.Receivers.Otlp.Grpc;

/// <summary>
/// Binds <c>opentelemetry.proto.collector.{trace,metrics,logs}.v1.*Service/Export</c> for the signals the receiver
/// serves, with a pass-through marshaller so Google.Protobuf never decodes the request. A service not bound answers
/// UNIMPLEMENTED (Grpc.AspNetCore's fallback), as otelcol does.
/// </summary>
internal sealed class OtlpGrpcMethodProvider : IServiceMethodProvider<OtlpGrpcService>
{
    // The payload is copied once into an array that the batch then owns.
    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(
        static (byte[] message, SerializationContext context) => context.Complete(message),
        static context => context.PayloadAsNewBuffer());

    private readonly IReadOnlyList<Signal> _signals;

    public OtlpGrpcMethodProvider(IReadOnlyList<Signal> signals) => _signals = signals;

    /// <inheritdoc />
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<OtlpGrpcService> context)
    {
        foreach (var signal in _signals)
        {
            switch (signal)
            {
                case Signal.Traces:
                    context.AddUnaryMethod(Method("opentelemetry.proto.collector.trace.v1.TraceService"), [], static (s, r, c) => s.ExportAsync(Signal.Traces, r, c));
                    break;
                case Signal.Metrics:
                    context.AddUnaryMethod(Method("opentelemetry.proto.collector.metrics.v1.MetricsService"), [], static (s, r, c) => s.ExportAsync(Signal.Metrics, r, c));
                    break;
                case Signal.Logs:
                    context.AddUnaryMethod(Method("opentelemetry.proto.collector.logs.v1.LogsService"), [], static (s, r, c) => s.ExportAsync(Signal.Logs, r, c));
                    break;
            }
        }
    }

    private static Method<byte[], byte[]> Method(string service) => new(MethodType.Unary, service, "Export", Raw, Raw);
}
