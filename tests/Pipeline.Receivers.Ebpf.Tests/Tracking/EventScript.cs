using System.Net;
using System.Text;
using Pipeline.Receivers.Ebpf.Tracking;

namespace Pipeline.Receivers.Ebpf.Tests.Tracking;

/// <summary>Builds the kernel events of one connection: stream positions per direction are kept, and each syscall
/// gets a fresh [entry, exit] time from a shared clock, so scripts read like the traffic they describe.</summary>
internal sealed class EventScript
{
    private readonly Clock _clock;
    private ulong _ingressPosition;
    private ulong _egressPosition;

    public EventScript(
        Clock clock,
        uint tgid,
        int fd,
        ulong generation,
        ConnectionRole role,
        string local = "127.0.0.1",
        ushort localPort = 8080,
        string remote = "127.0.0.1",
        ushort remotePort = 40000)
    {
        _clock = clock;
        Tgid = tgid;
        Fd = fd;
        Generation = generation;
        Role = role;
        Local = IPAddress.Parse(local);
        LocalPort = localPort;
        Remote = IPAddress.Parse(remote);
        RemotePort = remotePort;
    }

    public uint Tgid { get; }

    public int Fd { get; }

    public ulong Generation { get; }

    public ConnectionRole Role { get; }

    public IPAddress Local { get; }

    public ushort LocalPort { get; }

    public IPAddress Remote { get; }

    public ushort RemotePort { get; }

    /// <summary>The thread used when a call does not name one.</summary>
    public uint Tid { get; set; }

    public ConnectionKey Key => new(Tgid, Fd, Generation);

    public SocketEvent Open() => new()
    {
        Kind = SocketEventKind.Open,
        Tgid = Tgid,
        Tid = Tid == 0 ? Tgid : Tid,
        Fd = Fd,
        Generation = Generation,
        TimestampNs = _clock.Tick(),
        Role = Role,
        LocalAddress = Local,
        LocalPort = LocalPort,
        RemoteAddress = Remote,
        RemotePort = RemotePort,
    };

    public SocketEvent Read(string text, uint tid = 0) => Data(Direction.Ingress, Encoding.ASCII.GetBytes(text), 0, tid);

    public SocketEvent Write(string text, uint tid = 0) => Data(Direction.Egress, Encoding.ASCII.GetBytes(text), 0, tid);

    /// <summary>A syscall that moved <paramref name="bytes"/> plus <paramref name="uncaptured"/> more bytes the kernel did not copy.</summary>
    public SocketEvent Data(Direction direction, byte[] bytes, uint uncaptured = 0, uint tid = 0)
    {
        ref ulong position = ref direction == Direction.Ingress ? ref _ingressPosition : ref _egressPosition;
        ulong entry = _clock.Tick();
        var e = new SocketEvent
        {
            Kind = SocketEventKind.Data,
            Tgid = Tgid,
            Tid = tid != 0 ? tid : Tid != 0 ? Tid : Tgid,
            Fd = Fd,
            Generation = Generation,
            TimestampNs = entry,
            ExitTimestampNs = _clock.Tick(),
            Direction = direction,
            StreamPosition = position,
            TotalLength = (uint)bytes.Length + uncaptured,
            Payload = bytes,
            Role = Role,
        };
        position += (ulong)bytes.Length + uncaptured;
        return e;
    }

    /// <summary>Moves a direction's position without an event: bytes lost before they reached user space.</summary>
    public void Lose(Direction direction, ulong count)
    {
        if (direction == Direction.Ingress)
        {
            _ingressPosition += count;
        }
        else
        {
            _egressPosition += count;
        }
    }

    public SocketEvent Close() => new()
    {
        Kind = SocketEventKind.Close,
        Tgid = Tgid,
        Tid = Tid == 0 ? Tgid : Tid,
        Fd = Fd,
        Generation = Generation,
        TimestampNs = _clock.Tick(),
    };
}

/// <summary>Kernel monotonic time for scripts: each tick advances 1 µs.</summary>
internal sealed class Clock
{
    public ulong Now { get; set; } = 1_000_000_000;

    public ulong Tick() => Now += 1_000;
}
