using Pipeline.Receivers.Ebpf.Tracking;

namespace Pipeline.Receivers.Ebpf.Discovery;

/// <summary>Gives the user side the identity of traced processes from what discovery read in /proc; a pid discovery
/// does not hold (e.g. a forked child not rescanned yet) is read on demand.</summary>
internal sealed class DiscoveryProcessResolver : IProcessResolver
{
    private readonly ProcessDiscovery _discovery;
    private readonly ProcFs _proc;

    public DiscoveryProcessResolver(ProcessDiscovery discovery, ProcFs proc)
    {
        _discovery = discovery;
        _proc = proc;
    }

    public ProcessIdentity? Resolve(uint pid)
    {
        var info = _discovery.Get(pid) ?? _proc.Read(pid, withPorts: false);
        return info is null
            ? null
            : new ProcessIdentity(info.Pid, info.NamespacePid, info.ExecutablePath, info.ExecutableName, info.CommandLine, info.ServiceName);
    }
}
