namespace Pipeline.Receivers.Otlp;

/// <summary>Event IDs of the OTLP receiver's log messages, kept in one place.</summary>
internal static class OtlpReceiverEventIds
{
    public const int StartingGrpcServer = 1;
    public const int StartingHttpServer = 2;
    public const int RequestRejected = 3;
}
