using System.Collections.Concurrent;

namespace Pipeline.Receivers.Ebpf.Tracking;

/// <summary>Counters of the user-side processing, for the receiver's self-telemetry. Written by the processing
/// thread only; readers on other threads see values that may lag by a few events.</summary>
public sealed class TrafficStats
{
    private readonly long[] _eventsByKind = new long[8];
    private readonly ConcurrentDictionary<string, long> _parseErrors = new(StringComparer.Ordinal);

    /// <summary>Events handled, by kind (our own pid's events included: they are counted, then dropped).</summary>
    public long EventsOf(SocketEventKind kind) => (uint)kind < (uint)_eventsByKind.Length ? _eventsByKind[(int)kind] : 0;

    /// <summary>Events whose kind was not known.</summary>
    public long UnknownEvents { get; internal set; }

    /// <summary>Events of our own process, dropped.</summary>
    public long OwnEventsDropped { get; internal set; }

    /// <summary>Parse errors per protocol (e.g. <c>http1</c>): malformed heads, oversize heads, bad chunk sizes. Safe to
    /// enumerate from another thread.</summary>
    public IReadOnlyDictionary<string, long> ParseErrors => _parseErrors;

    /// <summary>Stream gaps: bytes missing from a direction (ring-buffer or channel drops), each followed by a resync.</summary>
    public long Gaps { get; internal set; }

    /// <summary>Messages whose framing was lost because bytes were not captured (headers beyond the capture size).</summary>
    public long Resyncs { get; internal set; }

    /// <summary>Connections tracked right now.</summary>
    public long ActiveConnections { get; internal set; }

    /// <summary>Connections evicted because <see cref="TrafficProcessorOptions.MaxConnections"/> was reached.</summary>
    public long Evictions { get; internal set; }

    /// <summary>Connections closed after <see cref="TrafficProcessorOptions.InactivityTimeout"/>.</summary>
    public long IdleTimeouts { get; internal set; }

    /// <summary>Responses that had no request to pair with (mid-stream attach or a lost request).</summary>
    public long UnpairedResponses { get; internal set; }

    /// <summary>Requests that got no response (connection closed, or the response was lost in a gap).</summary>
    public long RequestsWithoutResponse { get; internal set; }

    /// <summary>Spans emitted.</summary>
    public long SpansEmitted { get; internal set; }

    /// <summary>Spans dropped because <see cref="TrafficProcessorOptions.MaxPendingSpans"/> were waiting.</summary>
    public long SpansDropped { get; internal set; }

    /// <summary>Bytes that were counted by the kernel but not captured (beyond the capture size).</summary>
    public long BytesNotCaptured { get; internal set; }

    internal void CountEvent(SocketEventKind kind)
    {
        if ((uint)kind < (uint)_eventsByKind.Length)
        {
            _eventsByKind[(int)kind]++;
        }
        else
        {
            UnknownEvents++;
        }
    }

    internal void CountParseError(string protocol) => _parseErrors.AddOrUpdate(protocol, 1, static (_, n) => n + 1);
}
