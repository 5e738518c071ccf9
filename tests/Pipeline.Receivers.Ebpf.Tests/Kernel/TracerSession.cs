using System.Threading.Channels;
using Pipeline.Receivers.Ebpf.Loader;
using Pipeline.Receivers.Ebpf.Tracking;

namespace Pipeline.Receivers.Ebpf.Tests.Kernel;

/// <summary>A loaded tracer plus its ring-buffer reader, collecting every event for assertions.</summary>
internal sealed class TracerSession : IDisposable
{
    private readonly Channel<SocketEvent> _channel;
    private readonly List<SocketEvent> _events = [];

    public TracerSession(uint ringBufferSize = 1 << 22, uint captureSize = 4096, int channelCapacity = 1 << 20, bool startReader = true, AttachMode mode = AttachMode.Tracepoint)
    {
        Tracer = SocketTracer.Load(new TracerOptions((uint)Environment.ProcessId, captureSize, ringBufferSize, 0, mode));
        _channel = Channel.CreateBounded<SocketEvent>(channelCapacity);
        Reader = new RingBufferReader(Tracer.EventsFd, _channel.Writer, null);
        if (startReader)
        {
            Reader.Start();
        }
    }

    public SocketTracer Tracer { get; }

    public RingBufferReader Reader { get; }

    /// <summary>Drains the channel into the collected list until <paramref name="done"/> holds or the deadline passes.</summary>
    public List<SocketEvent> CollectUntil(Func<List<SocketEvent>, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            while (_channel.Reader.TryRead(out var e))
            {
                _events.Add(e);
            }

            if (done(_events) || DateTime.UtcNow > deadline)
            {
                return _events;
            }

            _channel.Reader.WaitToReadAsync().AsTask().Wait(TimeSpan.FromMilliseconds(100));
        }
    }

    public void Dispose()
    {
        Reader.Dispose();
        Tracer.Dispose();
    }
}
