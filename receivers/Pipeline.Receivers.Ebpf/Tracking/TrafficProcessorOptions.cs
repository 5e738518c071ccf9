using Pipeline.Receivers.Ebpf.Routes;

namespace Pipeline.Receivers.Ebpf.Tracking;

/// <summary>What the receiver gives the user-side traffic processing.</summary>
public sealed class TrafficProcessorOptions
{
    /// <summary>How paths become routes and which are ignored.</summary>
    public RoutesConfig Routes { get; init; } = new();

    /// <summary>Wall clock for inactivity timeouts, join windows and metric timestamps.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Converts kernel CLOCK_MONOTONIC nanoseconds to Unix epoch nanoseconds. Default:
    /// <see cref="MonotonicClock.CreateConverter"/>, an offset measured at start and again every minute.</summary>
    public Func<ulong, long>? MonotonicToUnixNanos { get; init; }

    /// <summary>The <c>host.name</c> of every resource, also the prefix of <c>service.instance.id</c>.</summary>
    public string HostName { get; init; } = Environment.MachineName;

    /// <summary>Resolves pids to process identities; null gives resources with the pid only.</summary>
    public IProcessResolver? ProcessResolver { get; init; }

    /// <summary>Our own host pid: its events are dropped, so we never trace ourselves (or our own OTLP traffic).</summary>
    public int OwnPid { get; init; } = Environment.ProcessId;

    /// <summary>Connections idle this long are closed (Pixie's default). Default: 300 s.</summary>
    public TimeSpan InactivityTimeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>At most this many connections are tracked; the least recently active one is evicted. Default: 65536.</summary>
    public int MaxConnections { get; init; } = 65536;

    /// <summary>Bytes a stream may hold while waiting for an out-of-order chunk before it declares a gap. Default: 64 KiB.</summary>
    public int MaxBufferedBytesPerStream { get; init; } = 64 * 1024;

    /// <summary>How long a server span whose peer is on this host waits for the client span that called it
    /// (the client's write may be reported after the server's read). Default: 1 s.</summary>
    public TimeSpan SameHostJoinWait { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long client requests stay indexed by connection tuple for the same-host join. Default: 10 s.</summary>
    public TimeSpan SameHostJoinWindow { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Completed spans held at most (the oldest are dropped and counted beyond). Default: 65536.</summary>
    public int MaxPendingSpans { get; init; } = 65536;

    /// <summary>In-flight server requests older than this are not parents of new client requests (OBI's
    /// <c>max_transaction_time</c>). Default: 5 min.</summary>
    public TimeSpan MaxTransactionTime { get; init; } = TimeSpan.FromMinutes(5);
}
