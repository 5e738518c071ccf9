namespace Pipeline.Processors.Batch;

/// <summary>The batch processor's log event IDs.</summary>
internal static class EventIds
{
    public const int SendFailed = 1;
    public const int ShutdownIncomplete = 2;
}
