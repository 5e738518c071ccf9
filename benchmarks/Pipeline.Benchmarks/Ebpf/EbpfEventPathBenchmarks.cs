using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using Pipeline.Receivers.Ebpf.Events;
using Pipeline.Receivers.Ebpf.Tracking;

namespace Pipeline.Benchmarks.Ebpf;

/// <summary>
/// The eBPF receiver's user-space work per traced HTTP request, as in <c>benchmarks/ebpf-overhead.sh</c> (wrk against
/// nginx's <c>return 200 "ok"</c> on one keep-alive connection): ring-buffer records laid out as the BPF program writes
/// them (<c>bpf/include/pipeline/event.h</c>: header, <c>pl_data_event</c>, captured bytes), decoded by
/// <see cref="EventDecoder"/>, handed over through the receiver's bounded channel, fed to the
/// <see cref="TrafficProcessor"/>, and taken as an encoded OTLP batch every <c>batch_length</c> (100) spans, as the
/// receiver's processing loop does. No BPF, no pipeline behind the receiver.
/// </summary>
[MemoryDiagnoser]
public class EbpfEventPathBenchmarks
{
    /// <summary>The receiver's default <c>batch_length</c>: one early take per this many completed spans.</summary>
    private const int RequestsPerTake = 100;

    private const uint Tgid = 4242;
    private const uint Tid = 4242;
    private const int Fd = 7;

    /// <summary>What wrk sends.</summary>
    private static readonly byte[] Request = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: 127.0.0.1:18080\r\n\r\n");

    /// <summary>What nginx 1.22.1 answers for <c>return 200 "ok"</c> (one writev: head and body), captured with a
    /// raw socket against benchmarks/configs/nginx-ok.conf.</summary>
    private static readonly byte[] Response = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Thu, 26 Nov 2026 10:40:47 GMT\r\nContent-Type: text/plain\r\n" +
        "Content-Length: 2\r\nConnection: keep-alive\r\n\r\nok");

    private readonly ulong _generation = MonotonicNs();
    private byte[] _open = [];
    private byte[] _ingress = [];
    private byte[] _egress = [];
    private ulong _clockNs;
    private ulong _ingressPos;
    private ulong _egressPos;
    private SteppedTime _time = new();
    private TrafficProcessor _processor = null!;
    private Channel<SocketEvent> _channel = null!;
    private readonly SocketEventPool _pool = new();

    [GlobalSetup]
    public void Setup()
    {
        _open = ConnOpenRecord();
        _ingress = DataRecord(Direction.Ingress, Request, source: 1); // read
        _egress = DataRecord(Direction.Egress, Response, source: 6); // writev
        _clockNs = _generation;
        _ingressPos = 0;
        _egressPos = 0;
        _time = new SteppedTime();
        _processor = new TrafficProcessor(new TrafficProcessorOptions { TimeProvider = _time });
        _channel = Channel.CreateBounded<SocketEvent>(new BoundedChannelOptions(65536)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

        Feed(_open);

        // wrk's connection is older than the same-host join wait (1 s) in the steady state: spans are not held back.
        _time.Advance(TimeSpan.FromSeconds(2));
        if (Requests() != RequestsPerTake)
        {
            throw new InvalidOperationException("The request path did not produce one span per request.");
        }
    }

    /// <summary>Decoding one ingress DATA record (the 40-byte request) into an event: what the ring-buffer thread
    /// does per record.</summary>
    [Benchmark(Baseline = true)]
    public object? DecodeRequestRecord() => Decode(_ingress);

    /// <summary>Decoding one egress DATA record (nginx's 156-byte response).</summary>
    [Benchmark]
    public object? DecodeResponseRecord() => Decode(_egress);

    /// <summary>Everything user space does per traced request: two DATA records decoded, queued, processed (HTTP
    /// parsing, span assembly, metrics), and the span encoded into the batch taken every 100 requests.</summary>
    [Benchmark(OperationsPerInvoke = RequestsPerTake)]
    public int PerRequest() => Requests();

    private int Requests()
    {
        for (int i = 0; i < RequestsPerTake; i++)
        {
            ulong start = _clockNs;
            Stamp(_ingress, start, start + 2_000, _ingressPos);
            Stamp(_egress, start + 9_000, start + 15_000, _egressPos);
            _ingressPos += (ulong)Request.Length;
            _egressPos += (ulong)Response.Length;
            _clockNs = start + 26_000;
            Feed(_ingress);
            Feed(_egress);
        }

        var spans = _processor.TakeSpans(periodic: false);
        return spans?.ItemCount ?? 0;
    }

    /// <summary>Ring-buffer thread (decode, channel write), then the processing loop (channel read, handle).</summary>
    private void Feed(byte[] record)
    {
        if (EventDecoder.Decode(record, _pool, out var evt, out _) != EventDecoder.Outcome.Event || !_channel.Writer.TryWrite(evt!))
        {
            throw new InvalidOperationException("The record was not queued.");
        }

        _channel.Reader.TryRead(out var e);
        _processor.Handle(e!);
        _pool.Return(e!);
    }

    /// <summary>Decodes as the ring-buffer thread does (into a pooled event), then gives the event back as the
    /// processing loop does once it is handled.</summary>
    private SocketEvent? Decode(byte[] record)
    {
        EventDecoder.Decode(record, _pool, out var evt, out _);
        _pool.Return(evt!);
        return evt;
    }

    private static void Stamp(byte[] record, ulong entryNs, ulong exitNs, ulong position)
    {
        ref var d = ref MemoryMarshal.AsRef<DataEvent>(record.AsSpan());
        d.hdr.ts_ns = entryNs;
        d.ts_exit_ns = exitNs;
        d.stream_pos = position;
    }

    private EventHeader Header(byte kind) => new()
    {
        kind = kind,
        version = EventKinds.Version,
        tgid = Tgid,
        tid = Tid,
        ns_tgid = Tgid,
        fd = Fd,
        conn_gen = _generation,
        ts_ns = _generation,
    };

    private byte[] ConnOpenRecord()
    {
        var record = new byte[Unsafe.SizeOf<ConnEvent>()];
        ref var c = ref MemoryMarshal.AsRef<ConnEvent>(record.AsSpan());
        c.hdr = Header(EventKinds.ConnOpen);
        c.family = 2; // AF_INET
        c.role = 2; // server: nginx accepted the connection
        c.lport = 18080;
        c.rport = 40000;
        V4Mapped(c.laddr);
        V4Mapped(c.raddr);
        return record;

        static void V4Mapped(Span<byte> address)
        {
            address[10] = 0xff;
            address[11] = 0xff;
            address[12] = 127;
            address[15] = 1;
        }
    }

    private byte[] DataRecord(Direction direction, byte[] payload, byte source)
    {
        int head = Unsafe.SizeOf<DataEvent>();
        var record = new byte[head + payload.Length];
        ref var d = ref MemoryMarshal.AsRef<DataEvent>(record.AsSpan());
        d.hdr = Header(EventKinds.Data);
        d.total_len = (uint)payload.Length;
        d.cap_len = (uint)payload.Length;
        d.direction = (byte)direction;
        d.role = 2;
        d.source = source;
        payload.CopyTo(record, head);
        return record;
    }

    private static ulong MonotonicNs() => (ulong)MonotonicClock.Nanoseconds(Stopwatch.GetTimestamp());

    /// <summary>The system clock, moved forward on demand (to skip the connection's first second).</summary>
    private sealed class SteppedTime : TimeProvider
    {
        private long _offsetTicks;
        private TimeSpan _offset;

        public void Advance(TimeSpan by)
        {
            _offset += by;
            _offsetTicks += (long)(by.TotalSeconds * Stopwatch.Frequency);
        }

        public override long GetTimestamp() => Stopwatch.GetTimestamp() + _offsetTicks;

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + _offset;
    }
}
