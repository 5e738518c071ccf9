using System.Globalization;
using System.Net;
using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
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
            _metrics.Record(record.Tgid, key, (record.EndNs - record.StartNs) / 1e9, UnixNow());
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

    /// <summary>Spans that are complete and whose trace can no longer change, grouped per process.</summary>
    public Pipeline.Telemetry.Traces? TakeSpans()
    {
        long now = _time.GetTimestamp();
        if (_refreshClock && _time.GetElapsedTime(_clockMeasuredAt, now) >= TimeSpan.FromMinutes(1))
        {
            // The wall clock is slewed by NTP while CLOCK_MONOTONIC is not: measure the offset again.
            _toUnixNs = MonotonicClock.CreateConverter(_time);
            _clockMeasuredAt = now;
        }

        PruneIndexes(now);
        if (_completed.Count == 0)
        {
            return null;
        }

        Dictionary<uint, ScopeSpans>? byProcess = null;
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
            byProcess ??= [];
            if (!byProcess.TryGetValue(record.Tgid, out var scope))
            {
                scope = new ScopeSpans { Scope = ResourceFactory.Scope() };
                byProcess[record.Tgid] = scope;
            }

            scope.Spans.Add(BuildSpan(record));
            _stats.SpansEmitted++;
        }

        _completed.RemoveRange(kept, _completed.Count - kept);
        if (byProcess is null)
        {
            return null;
        }

        var request = new ExportTraceServiceRequest();
        foreach (var (tgid, scope) in byProcess)
        {
            var rs = new ResourceSpans { Resource = _resources.For(tgid) };
            rs.ScopeSpans.Add(scope);
            request.ResourceSpans.Add(rs);
        }

        return Pipeline.Telemetry.Traces.FromRequest(request);
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
            }
            else if (IsPossiblyLocal(connection.RemoteAddress!, connection.LocalAddress!))
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

        if (_inFlightServers.TryGetValue(record.Tgid, out var inFlight))
        {
            inFlight.Remove(record);
            if (inFlight.Count == 0)
            {
                _inFlightServers.Remove(record.Tgid);
            }
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

    /// <summary>A peer on loopback or on our own address may be a process we trace.</summary>
    private static bool IsPossiblyLocal(IPAddress remote, IPAddress local) => IPAddress.IsLoopback(remote) || remote.Equals(local);

    private ulong UnixNow() => (ulong)((_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100);

    private Span BuildSpan(SpanRecord record)
    {
        var request = record.Request;
        var response = record.Response;
        int status = response?.StatusCode ?? 0;
        string method = HttpSemantics.Method(request.Method);
        string? route = record.Route.Route;
        var span = new Span
        {
            TraceId = ByteString.CopyFrom(record.TraceId()),
            SpanId = ByteString.CopyFrom(record.SpanId),
            Name = route is null ? method == "_OTHER" ? "HTTP" : method : method == "_OTHER" ? "HTTP " + route : method + " " + route,
            Kind = record.IsServer ? Span.Types.SpanKind.Server : Span.Types.SpanKind.Client,
            StartTimeUnixNano = (ulong)Math.Max(0, _toUnixNs(record.StartNs)),
            EndTimeUnixNano = (ulong)Math.Max(0, _toUnixNs(record.EndNs)),
        };
        if (record.Parent is not null)
        {
            span.ParentSpanId = ByteString.CopyFrom(record.Parent.SpanId);
        }
        else if (record.RemoteParentSpanId is not null)
        {
            span.ParentSpanId = ByteString.CopyFrom(record.RemoteParentSpanId);
        }

        string? traceState = record.RootTraceState();
        if (traceState is not null)
        {
            span.TraceState = traceState;
        }

        var a = span.Attributes;
        Str(a, "http.request.method", method);
        if (method == "_OTHER")
        {
            Str(a, "http.request.method_original", request.Method);
        }

        if (request.Path.Length > 0)
        {
            Str(a, "url.path", request.Path);
        }

        if (route is not null)
        {
            Str(a, "http.route", route);
        }

        if (status != 0)
        {
            Int(a, "http.response.status_code", status);
        }

        string? errorType = HttpSemantics.ErrorType(record.IsServer, status);
        if (errorType is not null)
        {
            Str(a, "error.type", errorType);
        }

        string? peer = record.PeerAddress?.ToString();
        if (record.IsServer)
        {
            Str(a, "url.scheme", "http");
            string? host = request.Host ?? record.LocalAddress?.ToString();
            if (host is not null)
            {
                Str(a, "server.address", host);
            }

            int port = request.HostPort != 0 ? request.HostPort : record.LocalPort;
            if (port != 0)
            {
                Int(a, "server.port", port);
            }

            if (peer is not null)
            {
                Str(a, "client.address", peer);
            }
        }
        else
        {
            string? host = request.Host ?? peer;
            int port = record.PeerPort != 0 ? record.PeerPort : request.HostPort;
            if (host is not null)
            {
                Str(a, "server.address", host);
                if (request.Path.StartsWith('/'))
                {
                    string authority = host.Contains(':') ? "[" + host + "]" : host;
                    string portPart = port is 0 or 80 ? string.Empty : ":" + port.ToString(CultureInfo.InvariantCulture);
                    Str(a, "url.full", "http://" + authority + portPart + request.Path);
                }
            }

            if (port != 0)
            {
                Int(a, "server.port", port);
            }
        }

        if (peer is not null)
        {
            Str(a, "network.peer.address", peer);
            Int(a, "network.peer.port", record.PeerPort);
        }

        Str(a, "network.protocol.version", response?.Version ?? request.Version);
        if (request.UserAgent is not null)
        {
            Str(a, "user_agent.original", request.UserAgent);
        }

        if (record.HeuristicParent)
        {
            a.Add(new KeyValue { Key = "ebpf.parent.heuristic", Value = new AnyValue { BoolValue = true } });
        }

        if (HttpSemantics.IsError(record.IsServer, status))
        {
            span.Status = new Status
            {
                Code = Status.Types.StatusCode.Error,
                Message = status == 0 ? "connection closed before a response" : string.Empty,
            };
        }

        return span;
    }

    private static void Str(Google.Protobuf.Collections.RepeatedField<KeyValue> a, string key, string value) =>
        a.Add(new KeyValue { Key = key, Value = new AnyValue { StringValue = value } });

    private static void Int(Google.Protobuf.Collections.RepeatedField<KeyValue> a, string key, long value) =>
        a.Add(new KeyValue { Key = key, Value = new AnyValue { IntValue = value } });
}
