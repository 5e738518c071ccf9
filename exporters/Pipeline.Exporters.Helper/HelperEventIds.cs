namespace Pipeline.Exporters.Helper;

/// <summary>Event IDs of the exporter helper's log lines (1100–1199).</summary>
internal static class HelperEventIds
{
    public const int EnqueueRejected = 1101;
    public const int RetryScheduled = 1102;
    public const int DroppingData = 1103;
    public const int ShutdownDropped = 1104;
    public const int KeptInStorage = 1105;
    public const int Restored = 1106;
    public const int UndecodableRecord = 1107;
    public const int KeptForRetry = 1108;
}
