namespace Pipeline.Receivers.Ebpf.Discovery;

/// <summary>The kernel's traced-pid map as discovery sees it (the loaded tracer in production, a set in tests).</summary>
internal interface IPidFilter
{
    void Add(uint tgid);

    void Remove(uint tgid);

    /// <summary>Drops the kernel's connection entries of a process that is gone; returns how many.</summary>
    int PurgeConnections(uint tgid);
}
