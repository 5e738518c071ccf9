namespace Pipeline.Receivers.Ebpf.Events;

/// <summary>The numbers of bpf/include/pipeline/event.h (kinds, flags, stats indexes, limits).</summary>
internal static class EventKinds
{
    public const byte ConnOpen = 1;
    public const byte Data = 2;
    public const byte ConnClose = 3;
    public const byte ProcExec = 4;
    public const byte ProcExit = 5;
    public const byte ProcFork = 6;
    public const byte Listen = 7;

    public const byte FlagTruncated = 0x01;
    public const byte FlagMidstream = 0x02;
    public const byte FlagNoPayload = 0x04;
    public const byte FlagGroupExit = 0x08;

    public const ushort Version = 1;

    /// <summary>PL_CAPTURE_MAX: the most bytes copied per syscall.</summary>
    public const int CaptureMax = 8192;

    public const int StatRingbufOk = 0;
    public const int StatRingbufFail = 1;
    public const int StatTruncated = 2;
    public const int StatReadFail = 3;
    public const int StatNonSocket = 4;
    public const int StatExcluded = 5;

    /// <summary>PL_STAT_COUNT.</summary>
    public const int StatCount = 8;
}
