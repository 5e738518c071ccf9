using System.Net;
using System.Runtime.InteropServices;
using Pipeline.Receivers.Ebpf.Events;
using Pipeline.Receivers.Ebpf.Tracking;
using Xunit;

namespace Pipeline.Receivers.Ebpf.Tests.Events;

public sealed class EventDecoderTests
{
    [Fact]
    public void Decode_DataRecord_CopiesHeaderAndPayload()
    {
        var d = new DataEvent
        {
            hdr = Header(EventKinds.Data),
            ts_exit_ns = 2000,
            stream_pos = 77,
            total_len = 10,
            cap_len = 4,
            direction = 1,
            role = 2,
        };
        byte[] record = [.. Bytes(d), .. "GET "u8];

        var outcome = EventDecoder.Decode(record, out var evt, out _);
        record.AsSpan().Clear();

        Assert.Equal(EventDecoder.Outcome.Event, outcome);
        Assert.Equal(SocketEventKind.Data, evt!.Kind);
        Assert.Equal((4242u, 4243u, 12u, 7, 99ul, 1000ul), (evt.Tgid, evt.Tid, evt.NamespaceTgid, evt.Fd, evt.Generation, evt.TimestampNs));
        Assert.Equal((2000ul, 77ul, 10u, Direction.Egress, ConnectionRole.Server), (evt.ExitTimestampNs, evt.StreamPosition, evt.TotalLength, evt.Direction, evt.Role));
        Assert.Equal("GET "u8.ToArray(), evt.Payload.ToArray());
    }

    [Fact]
    public void Decode_DataRecordWithPool_ReusesReturnedEventWithTheNewRecordOnly()
    {
        var pool = new SocketEventPool();
        var first = new DataEvent { hdr = Header(EventKinds.Data), ts_exit_ns = 2000, stream_pos = 0, total_len = 300, cap_len = 300, direction = 1, role = 2 };
        var second = new DataEvent { hdr = Header(EventKinds.Data), ts_exit_ns = 3000, stream_pos = 300, total_len = 10, cap_len = 4, direction = 0, role = 1 };
        byte[] long300 = new byte[300];
        long300.AsSpan().Fill((byte)'x');

        EventDecoder.Decode([.. Bytes(first), .. long300], pool, out var a, out _);
        pool.Return(a!);
        EventDecoder.Decode([.. Bytes(second), .. "GET "u8], pool, out var b, out _);

        Assert.Same(a, b);
        Assert.Equal((3000ul, 300ul, 10u, Direction.Ingress, ConnectionRole.Client), (b!.ExitTimestampNs, b.StreamPosition, b.TotalLength, b.Direction, b.Role));
        Assert.Equal("GET "u8.ToArray(), b.Payload.ToArray());
    }

    [Fact]
    public void Return_MoreBufferBytesThanTheBound_KeepsOnlyWhatFits()
    {
        var pool = new SocketEventPool();
        byte[] payload = new byte[EventKinds.CaptureMax];
        var rented = new List<SocketEvent>();
        for (int i = 0; i < 600; i++)
        {
            var e = pool.Rent();
            e.SetData(1, 1, 1, 1, 1, 1, 2, Direction.Ingress, 0, (uint)payload.Length, payload, ConnectionRole.Server);
            rented.Add(e);
        }

        foreach (var e in rented)
        {
            pool.Return(e);
        }

        int reused = 0;
        for (int i = 0; i < 600; i++)
        {
            reused += rented.Contains(pool.Rent()) ? 1 : 0;
        }

        Assert.Equal((int)(SocketEventPool.MaxRetainedBytes / EventKinds.CaptureMax), reused);
    }

    [Fact]
    public void Return_EventNotFromPool_IsNotReused()
    {
        var pool = new SocketEventPool();
        var own = new SocketEvent { Kind = SocketEventKind.Data };

        pool.Return(own);

        Assert.NotSame(own, pool.Rent());
    }

    [Fact]
    public void Decode_ConnRecord_MapsV4MappedAddressesToIpv4()
    {
        var c = new ConnEvent { hdr = Header(EventKinds.ConnOpen), family = 10, role = 1, lport = 40000, rport = 8080 };
        Span<byte> l = c.laddr;
        l[10] = 0xff;
        l[11] = 0xff;
        l[12] = 127;
        l[15] = 1;
        Span<byte> r = c.raddr;
        r[15] = 1;

        var outcome = EventDecoder.Decode(Bytes(c), out var evt, out _);

        Assert.Equal(EventDecoder.Outcome.Event, outcome);
        Assert.Equal(SocketEventKind.Open, evt!.Kind);
        Assert.Equal(IPAddress.Parse("127.0.0.1"), evt.LocalAddress);
        Assert.Equal(IPAddress.IPv6Loopback, evt.RemoteAddress);
        Assert.Equal((40000, 8080, ConnectionRole.Client), (evt.LocalPort, evt.RemotePort, evt.Role));
    }

    [Fact]
    public void Decode_ForkRecord_CarriesParentTid()
    {
        var p = new ProcEvent { hdr = Header(EventKinds.ProcFork), parent_tid = 4242 };

        EventDecoder.Decode(Bytes(p), out var evt, out _);

        Assert.Equal((SocketEventKind.ProcessFork, 4243u, 4242u), (evt!.Kind, evt.Tid, evt.ParentTid));
    }

    [Fact]
    public void Decode_ListenRecord_ReportsPort()
    {
        var p = new ProcEvent { hdr = Header(EventKinds.Listen), port = 8080 };

        var outcome = EventDecoder.Decode(Bytes(p), out var evt, out ushort port);

        Assert.Equal((EventDecoder.Outcome.Listen, (ushort)8080), (outcome, port));
        Assert.Null(evt);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(40)]
    [InlineData(75)]
    public void Decode_ShortDataRecord_IsMalformed(int length)
    {
        var d = new DataEvent { hdr = Header(EventKinds.Data), cap_len = 4, total_len = 4 };
        byte[] record = [.. Bytes(d), .. "GET "u8];

        var outcome = EventDecoder.Decode(record.AsSpan(0, length), out var evt, out _);

        Assert.Equal(EventDecoder.Outcome.Malformed, outcome);
        Assert.Null(evt);
    }

    [Fact]
    public void Decode_UnknownKindOrVersion_IsMalformed()
    {
        var unknown = new ProcEvent { hdr = Header(42) };
        var future = new ProcEvent { hdr = Header(EventKinds.ProcExec) };
        future.hdr.version = 2;

        Assert.Equal(EventDecoder.Outcome.Malformed, EventDecoder.Decode(Bytes(unknown), out _, out _));
        Assert.Equal(EventDecoder.Outcome.Malformed, EventDecoder.Decode(Bytes(future), out _, out _));
    }

    private static EventHeader Header(byte kind) => new()
    {
        kind = kind,
        version = EventKinds.Version,
        tgid = 4242,
        tid = 4243,
        ns_tgid = 12,
        fd = 7,
        conn_gen = 99,
        ts_ns = 1000,
    };

    private static byte[] Bytes<T>(T value)
        where T : struct => MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value)).ToArray();
}
