using System.Net;
using Pipeline.Receivers.Ebpf.Http;
using Pipeline.Receivers.Ebpf.Spans;
using Pipeline.Telemetry;

namespace Pipeline.Receivers.Ebpf.Tracking;

/// <summary>The user side of the eBPF receiver: takes decoded socket events, tracks connections, parses their
/// protocols and assembles spans and duration metrics. Single-threaded: call every method from one thread.</summary>
public sealed class TrafficProcessor
{
    private static readonly IProtocolParserFactory[] Factories = [new Http1ParserFactory()];

    private readonly TrafficProcessorOptions _options;
    private readonly TimeProvider _time;
    private readonly SpanAssembler _spans;
    private readonly ProtocolDetector _detector;
    private readonly Dictionary<ConnectionKey, Connection> _connections = [];
    private readonly Dictionary<(uint Tgid, int Fd), Connection> _byFd = [];
    private readonly Dictionary<uint, List<Connection>> _byProcess = [];
    private readonly LinkedList<Connection> _lru = new();
    private readonly long _idleTicks;

    /// <summary>Creates the processor.</summary>
    public TrafficProcessor(TrafficProcessorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = options.TimeProvider;
        _idleTicks = (long)(options.InactivityTimeout.TotalSeconds * _time.TimestampFrequency);
        _spans = new SpanAssembler(options, Stats);
        _detector = new ProtocolDetector(Factories, _spans, Stats);
    }

    /// <summary>Counters for self-telemetry.</summary>
    public TrafficStats Stats { get; } = new();

    /// <summary>Connections tracked now (tests).</summary>
    internal int ConnectionCount => _connections.Count;

    /// <summary>Completed spans waiting for a join to settle (tests).</summary>
    internal int PendingSpans => _spans.PendingSpans;

    /// <summary>Handles one event. The event's payload is read during the call only: the receiver reuses the event
    /// afterwards, so bytes held for later (out of order) are copied.</summary>
    public void Handle(SocketEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        Stats.CountEvent(e.Kind);
        if (e.Tgid == (uint)_options.OwnPid)
        {
            Stats.OwnEventsDropped++;
            return;
        }

        long now = _time.GetTimestamp();
        switch (e.Kind)
        {
            case SocketEventKind.Open:
                Describe(Track(e, now), e);
                break;
            case SocketEventKind.Data:
                HandleData(e, now);
                break;
            case SocketEventKind.Close:
                if (_connections.TryGetValue(e.Key, out var closing))
                {
                    closing.LastEventNs = Math.Max(closing.LastEventNs, e.TimestampNs);
                    Remove(closing);
                }

                break;
            case SocketEventKind.ProcessExit:
                _spans.OnThreadExit(e.Tid);
                if (e.Tid == e.Tgid)
                {
                    CloseProcess(e.Tgid, e.TimestampNs);
                    _spans.OnProcessExit(e.Tgid);
                }

                break;
            case SocketEventKind.ProcessExec:
                _spans.OnProcessExec(e.Tgid);
                break;
            case SocketEventKind.ProcessFork:
                _spans.OnFork(e.Tid, e.ParentTid);
                break;
        }

        ExpireIdle(now);
    }

    /// <summary>Spans completed and already settled since the last <see cref="TakeSpans"/> (see
    /// <see cref="SpanAssembler.CompletedSinceTake"/>).</summary>
    public int CompletedSinceTake => _spans.CompletedSinceTake;

    /// <summary>The spans completed since the last call whose trace is settled, one ResourceSpans per process; null
    /// when there are none. The <paramref name="periodic"/> take (every <c>batch_timeout</c>) also does the
    /// housekeeping: out-of-order bytes still missing are given up, idle connections expire and the join indexes are
    /// pruned; an early take for a full batch only collects the spans.</summary>
    public Traces? TakeSpans(bool periodic = true)
    {
        if (periodic)
        {
            // Out-of-order bytes wait at most until now: what did not arrive by the next take is lost.
            foreach (var connection in _connections.Values)
            {
                connection.FlushHoles();
            }

            ExpireIdle(_time.GetTimestamp());
        }

        return _spans.TakeSpans(periodic);
    }

    /// <summary>A cumulative snapshot of <c>http.server.request.duration</c> and <c>http.client.request.duration</c>,
    /// one ResourceMetrics per process; null when nothing was measured yet.</summary>
    public Metrics? CollectMetrics() => _spans.CollectMetrics();

    private void HandleData(SocketEvent e, long now)
    {
        var connection = Track(e, now);
        if (connection.Role == ConnectionRole.Unknown && e.Role != ConnectionRole.Unknown)
        {
            connection.Role = e.Role;
        }

        connection.LastEventNs = Math.Max(connection.LastEventNs, e.ExitTimestampNs);
        var payload = e.Payload;
        if (payload.Length > e.TotalLength)
        {
            payload = payload[..(int)e.TotalLength];
        }

        if (e.TotalLength == 0)
        {
            return;
        }

        ulong uncaptured = e.TotalLength - (ulong)payload.Length;
        Stats.BytesNotCaptured += (long)uncaptured;
        var segment = new StreamSegment(e.StreamPosition, payload, uncaptured, e.TimestampNs, e.ExitTimestampNs, e.Tid);
        connection.Push(segment, e.Direction);
    }

    private Connection Track(SocketEvent e, long now)
    {
        if (_connections.TryGetValue(e.Key, out var connection))
        {
            connection.LastActivityTicks = now;
            _lru.Remove(connection.LruNode!);
            _lru.AddFirst(connection.LruNode!);
            return connection;
        }

        // The same fd with a new generation: the old connection was closed (its close was not seen).
        if (_byFd.TryGetValue((e.Tgid, e.Fd), out var previous))
        {
            Remove(previous);
        }

        if (_connections.Count >= _options.MaxConnections && _lru.Last is { } oldest)
        {
            Stats.Evictions++;
            Remove(oldest.Value);
        }

        connection = new Connection(e.Key, _options.MaxBufferedBytesPerStream)
        {
            Role = e.Role,
            LastActivityTicks = now,
            FirstSeenTicks = now,
            Detector = _detector,
        };
        connection.LruNode = _lru.AddFirst(connection);
        _connections[e.Key] = connection;
        _byFd[(e.Tgid, e.Fd)] = connection;
        if (!_byProcess.TryGetValue(e.Tgid, out var list))
        {
            list = [];
            _byProcess[e.Tgid] = list;
        }

        list.Add(connection);
        Stats.ActiveConnections = _connections.Count;
        return connection;
    }

    private static void Describe(Connection connection, SocketEvent e)
    {
        if (e.Role != ConnectionRole.Unknown)
        {
            connection.Role = e.Role;
        }

        if (e.LocalAddress is not null)
        {
            connection.LocalAddress = Normalize(e.LocalAddress);
            connection.LocalPort = e.LocalPort;
        }

        if (e.RemoteAddress is not null)
        {
            connection.RemoteAddress = Normalize(e.RemoteAddress);
            connection.RemotePort = e.RemotePort;
        }
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private void ExpireIdle(long now)
    {
        while (_lru.Last is { } oldest && now - oldest.Value.LastActivityTicks >= _idleTicks)
        {
            Stats.IdleTimeouts++;
            Remove(oldest.Value);
        }
    }

    private void CloseProcess(uint tgid, ulong timestampNs)
    {
        if (!_byProcess.TryGetValue(tgid, out var list))
        {
            return;
        }

        foreach (var connection in list.ToArray())
        {
            connection.LastEventNs = Math.Max(connection.LastEventNs, timestampNs);
            Remove(connection);
        }
    }

    private void Remove(Connection connection)
    {
        if (!_connections.Remove(connection.Key))
        {
            return;
        }

        _lru.Remove(connection.LruNode!);
        var fdKey = (connection.Key.Tgid, connection.Key.Fd);
        if (_byFd.TryGetValue(fdKey, out var current) && ReferenceEquals(current, connection))
        {
            _byFd.Remove(fdKey);
        }

        if (_byProcess.TryGetValue(connection.Key.Tgid, out var list))
        {
            list.Remove(connection);
            if (list.Count == 0)
            {
                _byProcess.Remove(connection.Key.Tgid);
            }
        }

        Stats.ActiveConnections = _connections.Count;
        connection.Close();
    }
}
