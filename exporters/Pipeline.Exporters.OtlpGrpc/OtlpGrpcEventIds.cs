namespace Pipeline.Exporters.OtlpGrpc;

/// <summary>Event IDs of the otlp_grpc exporter's log lines (1200–1299).</summary>
internal static class OtlpGrpcEventIds
{
    public const int PartialSuccess = 1201;
    public const int Connecting = 1202;
}
