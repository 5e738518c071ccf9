using System.Runtime.InteropServices;
using System.Threading.Channels;
using Pipeline.Receivers.Ebpf.Events;
using Pipeline.Receivers.Ebpf.Interop;
using Pipeline.Receivers.Ebpf.Native;
using Pipeline.Receivers.Ebpf.Tracking;

namespace Pipeline.Receivers.Ebpf.Loader;

/// <summary>Drains the ring buffer on a dedicated thread (never the thread pool: ring_buffer__poll blocks). The
/// callback decodes and copies each record before returning — the pointer is valid only during the callback —
/// and writes it to a bounded channel; a full channel drops and counts. A LISTEN record is not queued: it is handed
/// to the listen callback (listening process, port).</summary>
internal sealed class RingBufferReader : IDisposable
{
    /// <summary>Poll timeout: also bounds the delay of records written without a wakeup and of Stop.</summary>
    private const int PollTimeoutMs = 100;

    /// <summary>A pass that consumed fewer records than this is followed by a sleep of the coalescing delay.</summary>
    private const int CoalesceBelow = 256;

    private readonly RingBufferHandle _ring;
    private readonly ChannelWriter<SocketEvent> _writer;
    private readonly Action<uint, ushort>? _onListen;
    private readonly SocketEventPool? _pool;
    private readonly int _coalesceMs;
    private readonly Thread _thread;
    private GCHandle _self;
    private volatile bool _stopping;
    private bool _started;
    private long _received;
    private long _dropped;
    private long _malformed;
    private int _pollError;

    /// <param name="ringFd">The ring-buffer map.</param>
    /// <param name="writer">Where decoded events go.</param>
    /// <param name="onListen">Called for LISTEN records (listening process, port).</param>
    /// <param name="pool">Where Data events come from (the reader of the channel returns them), or null to allocate each.</param>
    /// <param name="coalesceMs">Sleep after a pass that found few records (0: never); only for rings large enough
    /// to hold that long's traffic.</param>
    public unsafe RingBufferReader(int ringFd, ChannelWriter<SocketEvent> writer, Action<uint, ushort>? onListen, SocketEventPool? pool = null, int coalesceMs = 0)
    {
        _writer = writer;
        _onListen = onListen;
        _pool = pool;
        _coalesceMs = coalesceMs;
        _self = GCHandle.Alloc(this);
        _ring = Libbpf.RingBufferNew(ringFd, &OnSample, GCHandle.ToIntPtr(_self), 0);
        if (_ring.IsInvalid)
        {
            int errno = Marshal.GetLastPInvokeError();
            _ring.Dispose();
            _self.Free();
            throw new BpfException("ring_buffer__new", errno);
        }

        _thread = new Thread(Run) { IsBackground = true, Name = "ebpf ring buffer" };
    }

    /// <summary>Events decoded from the ring buffer (queued or dropped).</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Records dropped because the channel was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Records that could not be decoded.</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>The errno that ended polling, or 0.</summary>
    public int PollError => Volatile.Read(ref _pollError);

    public void Start()
    {
        _thread.Start();
        _started = true;
    }

    /// <summary>Stops the thread after a final drain (waits at most about one poll timeout).</summary>
    public void Stop()
    {
        _stopping = true;
        if (_started)
        {
            _thread.Join();
        }
    }

    public void Dispose()
    {
        Stop();
        _ring.Dispose();
        if (_self.IsAllocated)
        {
            _self.Free();
        }
    }

    private void Run()
    {
        while (!_stopping)
        {
            int rc = Libbpf.RingBufferPoll(_ring, PollTimeoutMs);
            if (rc == -4)
            {
                continue; // EINTR
            }

            if (rc < 0)
            {
                Volatile.Write(ref _pollError, -rc);
                return;
            }

            // Records written with BPF_RB_NO_WAKEUP do not wake epoll; consume picks them up.
            int consumed = rc + Math.Max(0, Libbpf.RingBufferConsume(_ring));
            if (_coalesceMs > 0 && consumed < CoalesceBelow)
            {
                // The ring's epoll is level-triggered: under steady traffic a record is nearly always there when the
                // poll starts again, so it returns at once and the thread spins through a few records per syscall
                // (measured at nginx saturation: epoll_wait alone ~20 % of the collector). A short sleep lets a
                // pass take hundreds of records; the ring holds them meanwhile.
                Thread.Sleep(_coalesceMs);
            }
        }

        Libbpf.RingBufferConsume(_ring);
    }

    [UnmanagedCallersOnly]
    private static unsafe int OnSample(nint ctx, nint data, nuint size)
    {
        var reader = (RingBufferReader)GCHandle.FromIntPtr(ctx).Target!;
        try
        {
            reader.Handle(new ReadOnlySpan<byte>((void*)data, (int)size));
        }
#pragma warning disable CA1031 // an exception must never unwind into libbpf; the record is counted as malformed
        catch (Exception)
#pragma warning restore CA1031
        {
            Interlocked.Increment(ref reader._malformed);
        }

        return 0;
    }

    private void Handle(ReadOnlySpan<byte> record)
    {
        switch (EventDecoder.Decode(record, _pool, out var evt, out ushort port))
        {
            case EventDecoder.Outcome.Event:
                Interlocked.Increment(ref _received);
                if (!_writer.TryWrite(evt!))
                {
                    Interlocked.Increment(ref _dropped);
                    _pool?.Return(evt!);
                }

                break;
            case EventDecoder.Outcome.Listen:
                _onListen?.Invoke(MemoryMarshal.AsRef<EventHeader>(record).tgid, port);
                break;
            default:
                Interlocked.Increment(ref _malformed);
                break;
        }
    }
}
