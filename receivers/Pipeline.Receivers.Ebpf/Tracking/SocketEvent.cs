using System.Net;

namespace Pipeline.Receivers.Ebpf.Tracking;

/// <summary>What a kernel event says, decoded and copied out of the ring buffer (the contract between the
/// kernel side — bpf/ and the loader — and the user-side connection tracking and protocol parsing).</summary>
public enum SocketEventKind
{
    /// <summary>A connection seen for the first time (accept, connect, or mid-stream on first data).</summary>
    Open = 1,

    /// <summary>Bytes read or written on a connection.</summary>
    Data = 2,

    /// <summary>The fd was closed.</summary>
    Close = 3,

    /// <summary>A process called exec.</summary>
    ProcessExec = 4,

    /// <summary>A thread or process exited.</summary>
    ProcessExit = 5,

    /// <summary>A thread or process was forked (Tid = child, ParentTid = parent).</summary>
    ProcessFork = 6,
}

/// <summary>Direction of a Data event, seen from the traced process.</summary>
public enum Direction
{
    /// <summary>Read by the process.</summary>
    Ingress = 0,

    /// <summary>Written by the process.</summary>
    Egress = 1,
}

/// <summary>Role of the traced process on a connection.</summary>
public enum ConnectionRole
{
    /// <summary>Not known (mid-stream attach).</summary>
    Unknown = 0,

    /// <summary>The process connected out.</summary>
    Client = 1,

    /// <summary>The process accepted the connection.</summary>
    Server = 2,
}

/// <summary>Identifies one connection: fd numbers are reused, the generation (kernel time at first sighting) is not.</summary>
/// <param name="Tgid">Host process id.</param>
/// <param name="Fd">The socket fd in that process.</param>
/// <param name="Generation">Kernel time at which the connection was first seen.</param>
public readonly record struct ConnectionKey(uint Tgid, int Fd, ulong Generation);

/// <summary>One decoded kernel event. Payload is a copy owned by the event (never a pointer into the ring buffer).
/// Data events decoded by the receiver come from a pool (<see cref="SocketEventPool"/>) and are reused once handled:
/// whoever keeps their bytes beyond <see cref="TrafficProcessor.Handle"/> copies them.</summary>
public sealed class SocketEvent
{
    private SocketEventKind _kind;
    private uint _tgid;
    private uint _tid;
    private uint _namespaceTgid;
    private int _fd;
    private ulong _generation;
    private ulong _timestampNs;
    private ulong _exitTimestampNs;
    private Direction _direction;
    private ulong _streamPosition;
    private uint _totalLength;
    private ReadOnlyMemory<byte> _payload;
    private ConnectionRole _role;
    private byte[]? _buffer;

    /// <summary>The kind.</summary>
    public SocketEventKind Kind { get => _kind; init => _kind = value; }

    /// <summary>Host thread-group id (process id).</summary>
    public uint Tgid { get => _tgid; init => _tgid = value; }

    /// <summary>Host thread id.</summary>
    public uint Tid { get => _tid; init => _tid = value; }

    /// <summary>Process id as the process sees it (its pid namespace).</summary>
    public uint NamespaceTgid { get => _namespaceTgid; init => _namespaceTgid = value; }

    /// <summary>The fd (Open/Data/Close).</summary>
    public int Fd { get => _fd; init => _fd = value; }

    /// <summary>Connection generation (Open/Data/Close).</summary>
    public ulong Generation { get => _generation; init => _generation = value; }

    /// <summary>Monotonic kernel time (CLOCK_MONOTONIC ns); for Data the syscall entry.</summary>
    public ulong TimestampNs { get => _timestampNs; init => _timestampNs = value; }

    /// <summary>Monotonic kernel time of the syscall exit (Data).</summary>
    public ulong ExitTimestampNs { get => _exitTimestampNs; init => _exitTimestampNs = value; }

    /// <summary>Direction (Data).</summary>
    public Direction Direction { get => _direction; init => _direction = value; }

    /// <summary>Byte offset of this chunk within its direction of the connection (Data); counted even for bytes not copied.</summary>
    public ulong StreamPosition { get => _streamPosition; init => _streamPosition = value; }

    /// <summary>Bytes moved by the syscall (Data).</summary>
    public uint TotalLength { get => _totalLength; init => _totalLength = value; }

    /// <summary>The captured prefix of those bytes (Data); shorter than TotalLength when truncated.</summary>
    public ReadOnlyMemory<byte> Payload { get => _payload; init => _payload = value; }

    /// <summary>Role (Open, and on Data when known).</summary>
    public ConnectionRole Role { get => _role; init => _role = value; }

    /// <summary>Local address (Open/Close), or null when unknown.</summary>
    public IPAddress? LocalAddress { get; init; }

    /// <summary>Local port (Open/Close).</summary>
    public ushort LocalPort { get; init; }

    /// <summary>Peer address (Open/Close), or null when unknown.</summary>
    public IPAddress? RemoteAddress { get; init; }

    /// <summary>Peer port (Open/Close).</summary>
    public ushort RemotePort { get; init; }

    /// <summary>Parent thread id (ProcessFork).</summary>
    public uint ParentTid { get; init; }

    /// <summary>The connection key of Open/Data/Close events.</summary>
    public ConnectionKey Key => new(Tgid, Fd, Generation);

    /// <summary>The size of the event's own payload buffer (pooled events), else 0.</summary>
    internal int BufferCapacity => _buffer?.Length ?? 0;

    /// <summary>True for an event of a <see cref="SocketEventPool"/> (returned to it once handled).</summary>
    internal bool Pooled { get; init; }

    /// <summary>Makes this event a Data event, copying <paramref name="payload"/> into its own buffer (kept and reused
    /// when the event is pooled: the pool's events stop allocating once their buffers fit the traffic).</summary>
    internal void SetData(
        uint tgid, uint tid, uint namespaceTgid, int fd, ulong generation, ulong timestampNs, ulong exitTimestampNs,
        Direction direction, ulong streamPosition, uint totalLength, ReadOnlySpan<byte> payload, ConnectionRole role)
    {
        _kind = SocketEventKind.Data;
        _tgid = tgid;
        _tid = tid;
        _namespaceTgid = namespaceTgid;
        _fd = fd;
        _generation = generation;
        _timestampNs = timestampNs;
        _exitTimestampNs = exitTimestampNs;
        _direction = direction;
        _streamPosition = streamPosition;
        _totalLength = totalLength;
        _role = role;
        if (payload.IsEmpty)
        {
            _payload = ReadOnlyMemory<byte>.Empty;
            return;
        }

        if (_buffer is null || _buffer.Length < payload.Length)
        {
            _buffer = GC.AllocateUninitializedArray<byte>(Math.Max(256, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)payload.Length)));
        }

        payload.CopyTo(_buffer);
        _payload = _buffer.AsMemory(0, payload.Length);
    }
}
