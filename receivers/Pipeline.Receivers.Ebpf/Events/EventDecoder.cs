using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Pipeline.Receivers.Ebpf.Tracking;

namespace Pipeline.Receivers.Ebpf.Events;

/// <summary>Turns one ring-buffer record into a <see cref="SocketEvent"/> (copying the payload, into a pooled event's
/// buffer when a pool is given), dispatching on the
/// header's kind. A short record or an unknown kind or version is reported as malformed, never thrown.</summary>
internal static class EventDecoder
{
    /// <summary>Result of <see cref="Decode"/>.</summary>
    internal enum Outcome
    {
        /// <summary><c>evt</c> holds the event.</summary>
        Event,

        /// <summary>A socket entered LISTEN; <c>listenPort</c> holds the port (discovery should rescan).</summary>
        Listen,

        /// <summary>Too short, unknown kind or version.</summary>
        Malformed,
    }

    public static Outcome Decode(ReadOnlySpan<byte> record, out SocketEvent? evt, out ushort listenPort) =>
        Decode(record, null, out evt, out listenPort);

    /// <summary>Decodes a record; Data events come from <paramref name="pool"/> when one is given (return them to it
    /// once handled).</summary>
    public static Outcome Decode(ReadOnlySpan<byte> record, SocketEventPool? pool, out SocketEvent? evt, out ushort listenPort)
    {
        evt = null;
        listenPort = 0;
        if (record.Length < Unsafe.SizeOf<EventHeader>())
        {
            return Outcome.Malformed;
        }

        ref readonly var header = ref MemoryMarshal.AsRef<EventHeader>(record);
        if (header.version != EventKinds.Version)
        {
            return Outcome.Malformed;
        }

        switch (header.kind)
        {
            case EventKinds.Data:
                return DecodeData(record, pool, out evt);
            case EventKinds.ConnOpen:
            case EventKinds.ConnClose:
                return DecodeConn(record, out evt);
            case EventKinds.ProcExec:
            case EventKinds.ProcExit:
            case EventKinds.ProcFork:
                return DecodeProc(record, out evt);
            case EventKinds.Listen:
                if (record.Length < Unsafe.SizeOf<ProcEvent>())
                {
                    return Outcome.Malformed;
                }

                listenPort = (ushort)MemoryMarshal.AsRef<ProcEvent>(record).port;
                return Outcome.Listen;
            default:
                return Outcome.Malformed;
        }
    }

    private static Outcome DecodeData(ReadOnlySpan<byte> record, SocketEventPool? pool, out SocketEvent? evt)
    {
        evt = null;
        int size = Unsafe.SizeOf<DataEvent>();
        if (record.Length < size)
        {
            return Outcome.Malformed;
        }

        ref readonly var d = ref MemoryMarshal.AsRef<DataEvent>(record);
        int captured = (int)Math.Min(d.cap_len, (uint)EventKinds.CaptureMax);
        if (record.Length < size + captured)
        {
            return Outcome.Malformed;
        }

        evt = pool?.Rent() ?? new SocketEvent();
        evt.SetData(
            d.hdr.tgid, d.hdr.tid, d.hdr.ns_tgid, d.hdr.fd, d.hdr.conn_gen, d.hdr.ts_ns, d.ts_exit_ns,
            d.direction == 1 ? Direction.Egress : Direction.Ingress, d.stream_pos, d.total_len, record.Slice(size, captured),
            (ConnectionRole)Math.Min(d.role, (byte)2));
        return Outcome.Event;
    }

    private static Outcome DecodeConn(ReadOnlySpan<byte> record, out SocketEvent? evt)
    {
        evt = null;
        if (record.Length < Unsafe.SizeOf<ConnEvent>())
        {
            return Outcome.Malformed;
        }

        ref readonly var c = ref MemoryMarshal.AsRef<ConnEvent>(record);
        bool known = c.family != 0;
        evt = new SocketEvent
        {
            Kind = c.hdr.kind == EventKinds.ConnOpen ? SocketEventKind.Open : SocketEventKind.Close,
            Tgid = c.hdr.tgid,
            Tid = c.hdr.tid,
            NamespaceTgid = c.hdr.ns_tgid,
            Fd = c.hdr.fd,
            Generation = c.hdr.conn_gen,
            TimestampNs = c.hdr.ts_ns,
            Role = (ConnectionRole)Math.Min(c.role, (byte)2),
            LocalAddress = known ? ToAddress(c.laddr) : null,
            LocalPort = c.lport,
            RemoteAddress = known ? ToAddress(c.raddr) : null,
            RemotePort = c.rport,
        };
        return Outcome.Event;
    }

    private static Outcome DecodeProc(ReadOnlySpan<byte> record, out SocketEvent? evt)
    {
        evt = null;
        if (record.Length < Unsafe.SizeOf<ProcEvent>())
        {
            return Outcome.Malformed;
        }

        ref readonly var p = ref MemoryMarshal.AsRef<ProcEvent>(record);
        var kind = p.hdr.kind switch
        {
            EventKinds.ProcExec => SocketEventKind.ProcessExec,
            EventKinds.ProcExit => SocketEventKind.ProcessExit,
            _ => SocketEventKind.ProcessFork,
        };

        // A thread's exit is not the process's: only the group leader's exit ends the process.
        evt = new SocketEvent
        {
            Kind = kind,
            Tgid = p.hdr.tgid,
            Tid = p.hdr.tid,
            NamespaceTgid = p.hdr.ns_tgid,
            Fd = p.hdr.fd,
            TimestampNs = p.hdr.ts_ns,
            ParentTid = p.parent_tid,
        };
        return Outcome.Event;
    }

    /// <summary>The kernel's 16 bytes (IPv4 as ::ffff:a.b.c.d) as an address; v4-mapped ones become IPv4.</summary>
    internal static IPAddress ToAddress(Address16 raw)
    {
        ReadOnlySpan<byte> b = raw;
        bool mapped = b[10] == 0xff && b[11] == 0xff && !b[..10].ContainsAnyExcept((byte)0);
        return mapped ? new IPAddress(b[12..16]) : new IPAddress(b);
    }
}
