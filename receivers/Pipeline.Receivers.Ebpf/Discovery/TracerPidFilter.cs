using Pipeline.Receivers.Ebpf.Loader;

namespace Pipeline.Receivers.Ebpf.Discovery;

/// <summary>Discovery's view of the loaded tracer's pid filter and connection map.</summary>
internal sealed class TracerPidFilter : IPidFilter
{
    private readonly SocketTracer _tracer;

    public TracerPidFilter(SocketTracer tracer)
    {
        _tracer = tracer;
    }

    public void Add(uint tgid) => _tracer.AddPid(tgid);

    public void Remove(uint tgid) => _tracer.RemovePid(tgid);

    public int PurgeConnections(uint tgid) => _tracer.PurgeConnections(tgid);
}
