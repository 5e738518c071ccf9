using Microsoft.Extensions.Time.Testing;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Receivers.Ebpf.Routes;
using Pipeline.Receivers.Ebpf.Tracking;

namespace Pipeline.Receivers.Ebpf.Tests.Tracking;

/// <summary>A <see cref="TrafficProcessor"/> on a fake clock, with a fixed monotonic→Unix offset and known processes.</summary>
internal sealed class ProcessorHarness
{
    /// <summary>Unix ns = monotonic ns + this.</summary>
    public const long UnixOffset = 1_700_000_000_000_000_000;

    public const int OwnPid = 4242;

    public ProcessorHarness(RoutesConfig? routes = null, int maxConnections = 65536, params ProcessIdentity[] processes)
    {
        Processes = new Resolver(processes);
        Processor = new TrafficProcessor(new TrafficProcessorOptions
        {
            Routes = routes ?? new RoutesConfig(),
            TimeProvider = Time,
            MonotonicToUnixNanos = ns => (long)ns + UnixOffset,
            HostName = "testhost",
            ProcessResolver = Processes,
            OwnPid = OwnPid,
            MaxConnections = maxConnections,
        });
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero));

    public Clock Clock { get; } = new();

    public TrafficProcessor Processor { get; }

    public Resolver Processes { get; }

    public EventScript Connection(uint tgid, int fd, ConnectionRole role, string local, ushort localPort, string remote, ushort remotePort, ulong generation = 1) =>
        new(Clock, tgid, fd, generation, role, local, localPort, remote, remotePort);

    /// <summary>A server connection of <paramref name="tgid"/> from a peer on another host (no same-host wait).</summary>
    public EventScript Server(uint tgid, int fd = 10, ulong generation = 1) =>
        Connection(tgid, fd, ConnectionRole.Server, "10.0.0.5", 8080, "10.0.0.9", 51000, generation);

    public void Handle(params SocketEvent[] events)
    {
        foreach (var e in events)
        {
            Processor.Handle(e);
        }
    }

    public List<(Resource Resource, Span Span)> TakeSpans()
    {
        var result = new List<(Resource, Span)>();
        var traces = Processor.TakeSpans();
        if (traces is null)
        {
            return result;
        }

        foreach (var rs in traces.Request.ResourceSpans)
        {
            foreach (var ss in rs.ScopeSpans)
            {
                Xunit.Assert.Equal("pipeline.ebpf", ss.Scope.Name);
                foreach (var span in ss.Spans)
                {
                    result.Add((rs.Resource, span));
                }
            }
        }

        return result;
    }

    public static Dictionary<string, object> Attributes(IEnumerable<KeyValue> attributes)
    {
        var result = new Dictionary<string, object>();
        foreach (var kv in attributes)
        {
            result[kv.Key] = kv.Value.ValueCase switch
            {
                AnyValue.ValueOneofCase.StringValue => kv.Value.StringValue,
                AnyValue.ValueOneofCase.IntValue => kv.Value.IntValue,
                AnyValue.ValueOneofCase.BoolValue => kv.Value.BoolValue,
                _ => kv.Value.ToString(),
            };
        }

        return result;
    }

    internal sealed class Resolver : IProcessResolver
    {
        private readonly Dictionary<uint, ProcessIdentity> _processes = [];

        public Resolver(IEnumerable<ProcessIdentity> processes)
        {
            foreach (var p in processes)
            {
                _processes[p.Pid] = p;
            }
        }

        public int Calls { get; private set; }

        public ProcessIdentity? Resolve(uint pid)
        {
            Calls++;
            return _processes.GetValueOrDefault(pid);
        }
    }
}
