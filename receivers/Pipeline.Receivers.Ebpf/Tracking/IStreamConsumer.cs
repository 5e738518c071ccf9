namespace Pipeline.Receivers.Ebpf.Tracking;

/// <summary>Receives one connection's bytes in stream order, per direction.</summary>
internal interface IStreamConsumer
{
    /// <summary>The next bytes of a direction.</summary>
    void OnSegment(Direction direction, in StreamSegment segment);

    /// <summary>Bytes of a direction are missing (lost before they reached us): resync at the next message boundary.</summary>
    void OnGap(Direction direction);
}
