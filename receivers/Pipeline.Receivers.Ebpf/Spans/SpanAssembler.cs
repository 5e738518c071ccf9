using System.Globalization;
using System.Net;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Receivers.Ebpf.Http;
using Pipeline.Receivers.Ebpf.Routes;
using Pipeline.Receivers.Ebpf.Tracking;

namespace Pipeline.Receivers.Ebpf.Spans;

/// <summary>Turns parsed HTTP exchanges into spans and duration metrics, and links spans into traces: an inbound
/// traceparent, the same-host client→server join by mirrored connection tuple, and in-process parents (the serving
/// thread or its forked descendants; else the only server request in flight, marked heuristic).</summary>
internal sealed class SpanAssembler : IExchangeSink
{
    /// <summary>Thread ancestry walked to find a serving thread (OBI walks 5 levels of clone parents).</summary>
    internal const int MaxForkDepth = 5;

    private const int MaxForkEntries = 1 << 16;

    /// <summary>Client requests kept per connection tuple for the join (a keep-alive connection's recent requests).</summary>
    private const int MaxPerTuple = 64;

    private readonly TrafficProcessorOptions _options;
    private readonly TimeProvider _time;
    private readonly bool _refreshClock;
    private Func<ulong, long> _toUnixNs;
    private long _clockMeasuredAt;
    private readonly RouteMatcher _routes;
    private readonly TrafficStats _stats;
    private readonly ResourceFactory _resources;
    private readonly HttpMetrics _metrics = new();
    private readonly List<SpanRecord> _completed = [];
    private readonly List<SpanRecord> _ready = [];
    private readonly List<uint> _readyProcesses = [];
    private readonly ProtoWriter _writer = new();
    private readonly Dictionary<uint, SpanRecord> _serverByTid = [];
    private readonly Dictionary<uint, List<SpanRecord>> _inFlightServers = [];
    private readonly Dictionary<uint, uint> _forkParent = [];
    private readonly Dictionary<TupleKey, List<SpanRecord>> _clientsByTuple = [];
    private readonly Dictionary<TupleKey, List<SpanRecord>> _waitingServers = [];
    private readonly long _joinWaitTicks;
    private readonly ulong _joinWindowNs;
    private readonly ulong _maxTransactionNs;
    private ulong _latestNs;

    public SpanAssembler(TrafficProcessorOptions options, TrafficStats stats)
    {
        _options = options;
        _time = options.TimeProvider;
        _refreshClock = options.MonotonicToUnixNanos is null;
        _toUnixNs = options.MonotonicToUnixNanos ?? MonotonicClock.CreateConverter(_time);
        _clockMeasuredAt = _time.GetTimestamp();
        _routes = new RouteMatcher(options.Routes);
        _stats = stats;
        _resources = new ResourceFactory(options.HostName, options.ProcessResolver);
        _joinWaitTicks = (long)(options.SameHostJoinWait.TotalSeconds * _time.TimestampFrequency);
        _joinWindowNs = (ulong)options.SameHostJoinWindow.Ticks * 100;
        _maxTransactionNs = (ulong)options.MaxTransactionTime.Ticks * 100;
    }

    /// <summary>Completed spans not yet emitted (tests).</summary>
    internal int PendingSpans => _completed.Count;

    /// <inheritdoc />
    public void OnRequestStarted(Connection connection, HttpRequest request)
    {
        _latestNs = Math.Max(_latestNs, request.FirstExitNs);
        bool server = connection.Role == ConnectionRole.Server;
        var record = new SpanRecord(connection.Key.Tgid, server, request)
        {
            LocalAddress = connection.LocalAddress,
            LocalPort = connection.LocalPort,
            PeerAddress = connection.RemoteAddress,
            PeerPort = connection.RemotePort,
            Route = _routes.Decide(request.Path),
            Connection = server ? connection : null,
        };
        request.SpanState = record;
        bool hasTuple = connection.LocalAddress is not null && connection.RemoteAddress is not null;
        if (server)
        {
            StartServer(record, connection, hasTuple);
        }
        else
        {
            StartClient(record, connection, hasTuple);
        }
    }

    /// <inheritdoc />
    public void OnExchangeCompleted(Connection connection, HttpRequest request, HttpResponse? response)
    {
        if (request.SpanState is not SpanRecord record)
        {
            return;
        }

        record.Response = response;
        record.EndNs = Math.Max(response?.LastExitNs ?? connection.LastEventNs, record.StartNs);
        record.Completed = true;
        _latestNs = Math.Max(_latestNs, record.EndNs);
        EndInFlight(record);

        int status = response?.StatusCode ?? 0;
        if (!record.Route.DropMetric)
        {
            var key = new HttpMetrics.SeriesKey(record.IsServer, HttpSemantics.Method(request.Method), record.Route.Route, status, HttpSemantics.ErrorType(record.IsServer, status));
            _metrics.Record(record.Tgid, key, (record.EndNs - record.StartNs) / 1e9, _time);
        }

        if (record.Route.DropSpan)
        {
            record.Dropped = true;
            return;
        }

        if (_completed.Count >= _options.MaxPendingSpans)
        {
            _stats.SpansDropped++;
            return;
        }

        _completed.Add(record);
        if (record.IsFinal(_time))
        {
            CompletedSinceTake++;
        }
    }

    /// <inheritdoc />
    public void OnRequestDropped(Connection connection, HttpRequest request)
    {
        if (request.SpanState is SpanRecord record)
        {
            record.Dropped = true;
            EndInFlight(record);
        }
    }

    /// <summary>A thread was forked: remember its parent for in-process parenting.</summary>
    public void OnFork(uint childTid, uint parentTid)
    {
        if (_forkParent.Count >= MaxForkEntries)
        {
            _forkParent.Clear(); // bounded: thread churn without exits seen (lost events) must not grow this forever
        }

        _forkParent[childTid] = parentTid;
    }

    /// <summary>A thread exited.</summary>
    public void OnThreadExit(uint tid)
    {
        _forkParent.Remove(tid);
        _serverByTid.Remove(tid);
    }

    /// <summary>A process exited (after its connections were closed): its metrics are reported once more.</summary>
    public void OnProcessExit(uint tgid)
    {
        _metrics.MarkExited(tgid);
        _inFlightServers.Remove(tgid);
        _resources.Forget(tgid);
    }

    /// <summary>A process exec'd: its identity may have changed.</summary>
    public void OnProcessExec(uint tgid) => _resources.Forget(tgid);

    /// <summary>Spans completed (and already settled) since the last <see cref="TakeSpans"/>: the receiver flushes
    /// early once a batch is ready. Spans still waiting for a join are not counted, so they do not make every pass
    /// scan the waiting list.</summary>
    public int CompletedSinceTake { get; private set; }

    /// <summary>Spans that are complete and whose trace can no longer change, grouped per process, written straight
    /// to an encoded <c>ExportTraceServiceRequest</c>. The <paramref name="periodic"/> take also refreshes the clock
    /// offset and prunes the join indexes; early takes for a full batch leave that to it.</summary>
    public Pipeline.Telemetry.Traces? TakeSpans(bool periodic = true)
    {
        long now = _time.GetTimestamp();
        if (periodic)
        {
            if (_refreshClock && _time.GetElapsedTime(_clockMeasuredAt, now) >= TimeSpan.FromMinutes(1))
            {
                // The wall clock is slewed by NTP while CLOCK_MONOTONIC is not: measure the offset again.
                _toUnixNs = MonotonicClock.CreateConverter(_time);
                _clockMeasuredAt = now;
            }

            PruneIndexes(now);
        }

        CompletedSinceTake = 0;
        if (_completed.Count == 0)
        {
            return null;
        }

        var ready = _ready;
        ready.Clear();
        int kept = 0;
        for (int i = 0; i < _completed.Count; i++)
        {
            var record = _completed[i];
            if (!record.IsFinal(now))
            {
                _completed[kept++] = record;
                continue;
            }

            record.Resolved = true;
            ready.Add(record);
        }

        _completed.RemoveRange(kept, _completed.Count - kept);
        if (ready.Count == 0)
        {
            return null;
        }

        // One ResourceSpans per process, in the order the processes first appear.
        var processes = _readyProcesses;
        processes.Clear();
        foreach (var record in ready)
        {
            if (!processes.Contains(record.Tgid))
            {
                processes.Add(record.Tgid);
            }
        }

        var w = _writer;
        w.Reset();
        int written = 0;
        foreach (uint tgid in processes)
        {
            int resourceSpans = w.Begin(1);
            w.Bytes(1, _resources.Encoded(tgid));
            int scopeSpans = w.Begin(2);
            w.Bytes(1, ResourceFactory.EncodedScope);
            foreach (var record in ready)
            {
                if (record.Tgid == tgid)
                {
                    int span = w.Begin(2);
                    WriteSpan(w, record);
                    w.End(span);
                    written++;
                }
            }

            w.End(scopeSpans);
            w.End(resourceSpans);
        }

        ready.Clear();
        _stats.SpansEmitted += written;

        // We wrote and counted every span: the batch needs no framing walk to count them again.
        var body = GC.AllocateUninitializedArray<byte>(w.Written.Length); // handed to the pipeline; overwritten whole
        w.Written.CopyTo(body);
        return Pipeline.Telemetry.Traces.FromEncoded(body, written);
    }

    /// <summary>A cumulative snapshot of the duration histograms, one ResourceMetrics per process.</summary>
    public Pipeline.Telemetry.Metrics? CollectMetrics()
    {
        if (_metrics.IsEmpty)
        {
            return null;
        }

        ulong now = UnixNow();
        var request = new ExportMetricsServiceRequest();
        foreach (uint tgid in _metrics.Processes)
        {
            var scope = _metrics.Snapshot(tgid, now);
            if (scope is null || scope.Metrics.Count == 0)
            {
                continue;
            }

            var rm = new ResourceMetrics { Resource = _resources.For(tgid) };
            rm.ScopeMetrics.Add(scope);
            request.ResourceMetrics.Add(rm);
        }

        _metrics.RemoveExited();
        return request.ResourceMetrics.Count == 0 ? null : Pipeline.Telemetry.Metrics.FromRequest(request);
    }

    private void StartServer(SpanRecord record, Connection connection, bool hasTuple)
    {
        var request = record.Request;
        if (TraceParent.TryParse(request.TraceParent, out byte[] traceId, out byte[] parentId))
        {
            record.UseTraceParent(traceId, parentId, request.TraceState);
        }
        else if (hasTuple)
        {
            var key = new TupleKey(connection.RemoteAddress!, connection.RemotePort, connection.LocalAddress!, connection.LocalPort);
            record.Tuple = key;
            var client = FindClient(key, request);
            if (client is not null && record.TrySetParent(client, heuristic: false))
            {
                client.Claimed = true;
                connection.PeerTraced = true;
            }
            else if (IsPossiblyLocal(connection.RemoteAddress!, connection.LocalAddress!) && MayHaveTracedPeer(connection))
            {
                // The client's write may be reported after our read: wait a little for it.
                record.Resolved = false;
                record.JoinDeadline = _time.GetTimestamp() + _joinWaitTicks;
                Index(_waitingServers, key, record);
            }
        }

        _serverByTid[request.FirstTid] = record;
        _serverByTid[request.HeadTid] = record;
        if (!_inFlightServers.TryGetValue(record.Tgid, out var inFlight))
        {
            inFlight = new List<SpanRecord>(2);
            _inFlightServers[record.Tgid] = inFlight;
        }

        inFlight.Add(record);
    }

    private void StartClient(SpanRecord record, Connection connection, bool hasTuple)
    {
        var request = record.Request;
        if (TraceParent.TryParse(request.TraceParent, out byte[] traceId, out byte[] parentId))
        {
            // An instrumented caller injected its own context: our span joins that trace under the SDK's span.
            record.UseTraceParent(traceId, parentId, request.TraceState);
        }
        else
        {
            var parent = FindServingRequest(record.Tgid, request.FirstTid) ?? FindServingRequest(record.Tgid, request.HeadTid);
            bool heuristic = false;
            if (parent is null && _inFlightServers.TryGetValue(record.Tgid, out var inFlight))
            {
                SpanRecord? only = null;
                int live = 0;
                foreach (var candidate in inFlight)
                {
                    if (candidate.StartNs + _maxTransactionNs >= request.FirstEntryNs)
                    {
                        live++;
                        only = candidate;
                    }
                }

                if (live == 1)
                {
                    parent = only;
                    heuristic = true;
                }
            }

            if (parent is not null)
            {
                record.TrySetParent(parent, heuristic);
            }
        }

        if (!hasTuple)
        {
            return;
        }

        var key = new TupleKey(connection.LocalAddress!, connection.LocalPort, connection.RemoteAddress!, connection.RemotePort);
        record.Tuple = key;
        if (_waitingServers.TryGetValue(key, out var waiting))
        {
            long now = _time.GetTimestamp();
            for (int i = 0; i < waiting.Count; i++)
            {
                var server = waiting[i];
                if (!server.Resolved && now < server.JoinDeadline && record.StartNs <= server.Request.FirstExitNs && server.TrySetParent(record, heuristic: false))
                {
                    server.Resolved = true;
                    record.Claimed = true;
                    if (server.Connection is not null)
                    {
                        server.Connection.PeerTraced = true;
                    }

                    waiting.RemoveAt(i);
                    return;
                }
            }
        }

        Index(_clientsByTuple, key, record);
    }

    /// <summary>The earliest unclaimed client request on the mirrored connection that was sent before the server
    /// finished reading the request's first bytes.</summary>
    private SpanRecord? FindClient(TupleKey key, HttpRequest serverRequest)
    {
        if (!_clientsByTuple.TryGetValue(key, out var clients))
        {
            return null;
        }

        foreach (var client in clients)
        {
            if (!client.Claimed && !client.Dropped && client.StartNs <= serverRequest.FirstExitNs)
            {
                return client;
            }
        }

        return null;
    }

    private SpanRecord? FindServingRequest(uint tgid, uint tid)
    {
        for (int depth = 0; depth <= MaxForkDepth; depth++)
        {
            if (_serverByTid.TryGetValue(tid, out var server) && server.Tgid == tgid && !server.Completed && !server.Dropped)
            {
                return server;
            }

            if (!_forkParent.TryGetValue(tid, out tid))
            {
                return null;
            }
        }

        return null;
    }

    private void EndInFlight(SpanRecord record)
    {
        if (!record.IsServer)
        {
            return;
        }

        if (_serverByTid.TryGetValue(record.Request.FirstTid, out var a) && ReferenceEquals(a, record))
        {
            _serverByTid.Remove(record.Request.FirstTid);
        }

        if (_serverByTid.TryGetValue(record.Request.HeadTid, out var b) && ReferenceEquals(b, record))
        {
            _serverByTid.Remove(record.Request.HeadTid);
        }

        // The empty list stays (a server empties it after every request): it goes with the process.
        if (_inFlightServers.TryGetValue(record.Tgid, out var inFlight))
        {
            inFlight.Remove(record);
        }
    }

    private static void Index(Dictionary<TupleKey, List<SpanRecord>> index, TupleKey key, SpanRecord record)
    {
        if (!index.TryGetValue(key, out var list))
        {
            list = new List<SpanRecord>(1);
            index[key] = list;
        }
        else if (list.Count >= MaxPerTuple)
        {
            list.RemoveAt(0);
        }

        list.Add(record);
    }

    private void PruneIndexes(long now)
    {
        ulong horizon = _latestNs > _joinWindowNs ? _latestNs - _joinWindowNs : 0;
        List<TupleKey>? empty = null;
        foreach (var (key, clients) in _clientsByTuple)
        {
            clients.RemoveAll(c => c.Claimed || (c.Completed && c.EndNs < horizon) || c.StartNs < horizon);
            if (clients.Count == 0)
            {
                (empty ??= []).Add(key);
            }
        }

        foreach (var (key, servers) in _waitingServers)
        {
            servers.RemoveAll(s => s.Resolved || now >= s.JoinDeadline);
            if (servers.Count == 0)
            {
                (empty ??= []).Add(key);
            }
        }

        if (empty is not null)
        {
            foreach (var key in empty)
            {
                if (_clientsByTuple.TryGetValue(key, out var c) && c.Count == 0)
                {
                    _clientsByTuple.Remove(key);
                }

                if (_waitingServers.TryGetValue(key, out var s) && s.Count == 0)
                {
                    _waitingServers.Remove(key);
                }
            }
        }
    }

    /// <summary>Whether a request on this connection may still get a same-host client span: always in the
    /// connection's first <c>SameHostJoinWait</c> (the client's first write may be reported after our read), later
    /// only if a traced client was already joined on it. A keep-alive connection from an untraced client (a load
    /// balancer, <c>wrk</c>) then stops holding every span back for the whole wait.</summary>
    private bool MayHaveTracedPeer(Connection connection) =>
        connection.PeerTraced || _time.GetTimestamp() - connection.FirstSeenTicks < _joinWaitTicks;

    /// <summary>A peer on loopback or on our own address may be a process we trace.</summary>
    private static bool IsPossiblyLocal(IPAddress remote, IPAddress local) => IPAddress.IsLoopback(remote) || remote.Equals(local);

    private ulong UnixNow() => HttpMetrics.UnixNanos(_time);

    /// <summary>Writes one <c>Span</c> message body (fields in field-number order, as Google.Protobuf would).</summary>
    private void WriteSpan(ProtoWriter w, SpanRecord record)
    {
        var request = record.Request;
        var response = record.Response;
        int status = response?.StatusCode ?? 0;
        string method = HttpSemantics.Method(request.Method);
        string? route = record.Route.Route;
        bool other = method == "_OTHER";

        w.Bytes(1, record.TraceId());
        w.Bytes(2, record.SpanId);
        string? traceState = record.RootTraceState();
        if (!string.IsNullOrEmpty(traceState))
        {
            w.String(3, traceState);
        }

        if (record.Parent is not null)
        {
            w.Bytes(4, record.Parent.SpanId);
        }
        else if (record.RemoteParentSpanId is not null)
        {
            w.Bytes(4, record.RemoteParentSpanId);
        }

        if (route is null)
        {
            w.String(5, other ? "HTTP" : method);
        }
        else
        {
            w.String(5, other ? "HTTP" : method, ' ', route);
        }

        w.Varint(6, (ulong)(record.IsServer ? Span.Types.SpanKind.Server : Span.Types.SpanKind.Client));
        ulong start = (ulong)Math.Max(0, _toUnixNs(record.StartNs));
        ulong end = (ulong)Math.Max(0, _toUnixNs(record.EndNs));
        if (start != 0)
        {
            w.Fixed64(7, start);
        }

        if (end != 0)
        {
            w.Fixed64(8, end);
        }

        Str(w, "http.request.method"u8, method);
        if (other)
        {
            Str(w, "http.request.method_original"u8, request.Method);
        }

        if (request.Path.Length > 0)
        {
            Str(w, "url.path"u8, request.Path);
        }

        if (route is not null)
        {
            Str(w, "http.route"u8, route);
        }

        if (status != 0)
        {
            Int(w, "http.response.status_code"u8, status);
        }

        string? errorType = HttpSemantics.ErrorType(record.IsServer, status);
        if (errorType is not null)
        {
            Str(w, "error.type"u8, errorType);
        }

        string? peer = record.PeerAddress?.ToString();
        if (record.IsServer)
        {
            Str(w, "url.scheme"u8, "http");
            string? host = request.Host ?? record.LocalAddress?.ToString();
            if (host is not null)
            {
                Str(w, "server.address"u8, host);
            }

            int port = request.HostPort != 0 ? request.HostPort : record.LocalPort;
            if (port != 0)
            {
                Int(w, "server.port"u8, port);
            }

            if (peer is not null)
            {
                Str(w, "client.address"u8, peer);
            }
        }
        else
        {
            string? host = request.Host ?? peer;
            int port = record.PeerPort != 0 ? record.PeerPort : request.HostPort;
            if (host is not null)
            {
                Str(w, "server.address"u8, host);
                if (request.Path.StartsWith('/'))
                {
                    string authority = host.Contains(':') ? "[" + host + "]" : host;
                    string portPart = port is 0 or 80 ? string.Empty : ":" + port.ToString(CultureInfo.InvariantCulture);
                    Str(w, "url.full"u8, "http://" + authority + portPart + request.Path);
                }
            }

            if (port != 0)
            {
                Int(w, "server.port"u8, port);
            }
        }

        if (peer is not null)
        {
            Str(w, "network.peer.address"u8, peer);
            Int(w, "network.peer.port"u8, record.PeerPort);
        }

        Str(w, "network.protocol.version"u8, response?.Version ?? request.Version);
        if (request.UserAgent is not null)
        {
            Str(w, "user_agent.original"u8, request.UserAgent);
        }

        if (record.HeuristicParent)
        {
            w.BoolAttribute(9, "ebpf.parent.heuristic"u8, true);
        }

        if (HttpSemantics.IsError(record.IsServer, status))
        {
            int st = w.Begin(15);
            if (status == 0)
            {
                w.String(2, "connection closed before a response");
            }

            w.Varint(3, (ulong)Status.Types.StatusCode.Error);
            w.End(st);
        }
    }

    /// <summary>A string attribute (Span.attributes = 9).</summary>
    private static void Str(ProtoWriter w, ReadOnlySpan<byte> key, string value) => w.StringAttribute(9, key, value);

    /// <summary>An int attribute (Span.attributes = 9).</summary>
    private static void Int(ProtoWriter w, ReadOnlySpan<byte> key, long value) => w.IntAttribute(9, key, value);
}
