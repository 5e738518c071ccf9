using System.Net;
using System.Runtime.CompilerServices;
using Pipeline.Receivers.Ebpf.Http;
using Pipeline.Receivers.Ebpf.Routes;

namespace Pipeline.Receivers.Ebpf.Spans;

/// <summary>A span from its request's start to its emission. Ids are assigned at the start; the trace id is taken
/// from the parent record when emitted, so a late same-host join moves the whole subtree into the caller's trace.</summary>
internal sealed class SpanRecord
{
    private const int MaxDepth = 64;

    public SpanRecord(uint tgid, bool server, HttpRequest request)
    {
        Tgid = tgid;
        IsServer = server;
        Request = request;
        Span<byte> ids = _ids;
        Random.Shared.NextBytes(ids); // both ids in one draw, held inline: no arrays per span
        NonZero(ids[..SpanIdLength]);
        NonZero(ids[SpanIdLength..]);
    }

    public uint Tgid { get; }

    /// <summary>Random ids as the OpenTelemetry SDKs make them (a fast non-cryptographic generator: ids must be
    /// unique, not secret; OpenSSL's generator cost 6 % of the collector at 20,000 spans/s); never all zero.</summary>
    private static void NonZero(Span<byte> id)
    {
        while (!id.ContainsAnyExcept((byte)0))
        {
            Random.Shared.NextBytes(id);
        }
    }

    public bool IsServer { get; }

    public HttpRequest Request { get; }

    public HttpResponse? Response { get; set; }

    private const int SpanIdLength = 8;

    /// <summary>The span id (8 bytes), then the own trace id (16 bytes).</summary>
    private Ids _ids;

    public ReadOnlySpan<byte> SpanId => ((ReadOnlySpan<byte>)_ids)[..SpanIdLength];

    /// <summary>The trace id when there is no parent record: random, or from an inbound traceparent.</summary>
    public ReadOnlySpan<byte> OwnTraceId => ((ReadOnlySpan<byte>)_ids)[SpanIdLength..];

    /// <summary>The parent span id from a traceparent header (a span we do not hold).</summary>
    public byte[]? RemoteParentSpanId { get; private set; }

    public string? TraceState { get; private set; }

    public SpanRecord? Parent { get; private set; }

    /// <summary>True when the parent was chosen because it was the only server request in flight in the process.</summary>
    public bool HeuristicParent { get; private set; }

    /// <summary>False while a server span waits for the same-host client that may have called it.</summary>
    public bool Resolved { get; set; } = true;

    /// <summary>When waiting for a join ends (TimeProvider timestamp).</summary>
    public long JoinDeadline { get; set; }

    /// <summary>A server span claimed this client span as its parent.</summary>
    public bool Claimed { get; set; }

    public TupleKey? Tuple { get; set; }

    /// <summary>The connection the request arrived on (server spans; the join marks it <see cref="Tracking.Connection.PeerTraced"/>).</summary>
    public Tracking.Connection? Connection { get; init; }

    public IPAddress? LocalAddress { get; init; }

    public ushort LocalPort { get; init; }

    public IPAddress? PeerAddress { get; init; }

    public ushort PeerPort { get; init; }

    public RouteDecision Route { get; init; }

    public bool Completed { get; set; }

    public bool Dropped { get; set; }

    public ulong EndNs { get; set; }

    /// <summary>A server's request starts when its first byte is read (the exit of that read: a blocking server sits in
    /// read() long before the client sends, so the entry would stretch the span back over the idle wait); a client's
    /// starts when it begins to write.</summary>
    public ulong StartNs => IsServer ? Request.FirstExitNs : Request.FirstEntryNs;

    public void UseTraceParent(byte[] traceId, byte[] parentSpanId, string? traceState)
    {
        traceId.CopyTo(((Span<byte>)_ids)[SpanIdLength..]);
        RemoteParentSpanId = parentSpanId;
        TraceState = traceState;
    }

    /// <summary>Makes <paramref name="parent"/> the parent unless that would make a cycle.</summary>
    public bool TrySetParent(SpanRecord parent, bool heuristic)
    {
        int depth = 0;
        for (var p = parent; p is not null; p = p.Parent)
        {
            if (ReferenceEquals(p, this) || ++depth > MaxDepth)
            {
                return false;
            }
        }

        Parent = parent;
        HeuristicParent = heuristic;
        RemoteParentSpanId = null;
        return true;
    }

    /// <summary>The trace id: the root record's own id.</summary>
    public ReadOnlySpan<byte> TraceId()
    {
        var r = this;
        for (int depth = 0; r.Parent is not null && depth < MaxDepth; depth++)
        {
            r = r.Parent;
        }

        return r.OwnTraceId;
    }

    /// <summary>The trace state travels with the trace (from the root's traceparent).</summary>
    public string? RootTraceState()
    {
        var r = this;
        for (int depth = 0; r.Parent is not null && depth < MaxDepth; depth++)
        {
            r = r.Parent;
        }

        return r.TraceState;
    }

    /// <summary>As <see cref="IsFinal(long)"/>, reading the clock only if a record up the chain still waits for a join.</summary>
    public bool IsFinal(TimeProvider time)
    {
        var r = this;
        for (int depth = 0; r is not null && depth < MaxDepth; depth++)
        {
            if (!r.Resolved)
            {
                return IsFinal(time.GetTimestamp());
            }

            r = r.Parent;
        }

        return true;
    }

    /// <summary>True when no record up the chain can still change the trace id.</summary>
    public bool IsFinal(long now)
    {
        var r = this;
        for (int depth = 0; r is not null && depth < MaxDepth; depth++)
        {
            if (!r.Resolved && now < r.JoinDeadline)
            {
                return false;
            }

            r = r.Parent;
        }

        return true;
    }

    [InlineArray(24)]
    private struct Ids
    {
        private byte _element0;
    }
}
