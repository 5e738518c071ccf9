namespace Pipeline.Exporters.OtlpHttp;

/// <summary>Event IDs of the otlp_http exporter's log lines (1300–1399).</summary>
internal static class OtlpHttpEventIds
{
    public const int PartialSuccess = 1301;
    public const int Starting = 1302;
}
