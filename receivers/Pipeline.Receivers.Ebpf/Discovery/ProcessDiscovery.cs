namespace Pipeline.Receivers.Ebpf.Discovery;

/// <summary>Decides which processes are traced: scans /proc, applies the selectors, and keeps the kernel pid filter
/// equal to the result (adding new matches, removing processes that exited or stopped matching). Never selects our
/// own process. Not thread-safe: the receiver calls it from its processing loop only.</summary>
internal sealed class ProcessDiscovery
{
    private readonly DiscoveryConfig _config;
    private readonly ProcFs _proc;
    private readonly IPidFilter _filter;
    private readonly uint _selfPid;
    private readonly bool _needsPorts;
    private readonly Dictionary<uint, ProcessInfo> _traced = [];

    public ProcessDiscovery(DiscoveryConfig config, ProcFs proc, IPidFilter filter, uint selfPid)
    {
        _config = config;
        _proc = proc;
        _filter = filter;
        _selfPid = selfPid;
        foreach (var selector in config.Instrument.Concat(config.ExcludeInstrument).Concat(config.DefaultExcludeInstrument))
        {
            selector.EnsureCompiled();
            _needsPorts |= selector.Ports is not null;
        }
    }

    /// <summary>Processes traced now.</summary>
    public int TracedCount => _traced.Count;

    /// <summary>Kernel connection entries purged for processes that exited.</summary>
    public long PurgedConnections { get; private set; }

    /// <summary>What discovery knows about a traced pid, or null.</summary>
    public ProcessInfo? Get(uint pid) => _traced.GetValueOrDefault(pid);

    /// <summary>The traced pids (tests, shutdown).</summary>
    public IReadOnlyCollection<uint> TracedPids => _traced.Keys;

    /// <summary>One pass over /proc; returns the pids added.</summary>
    public List<uint> Scan()
    {
        var listenCache = _needsPorts ? new Dictionary<string, Dictionary<ulong, int>>(StringComparer.Ordinal) : null;
        var seen = new HashSet<uint>();
        var added = new List<uint>();
        foreach (uint pid in _proc.ListPids())
        {
            if (pid == _selfPid)
            {
                continue;
            }

            var info = _proc.Read(pid, _needsPorts, listenCache);
            if (info is null || !Selected(info))
            {
                continue;
            }

            seen.Add(pid);
            if (_traced.TryAdd(pid, info))
            {
                _filter.Add(pid);
                added.Add(pid);
            }
            else
            {
                _traced[pid] = info;
            }
        }

        foreach (uint pid in _traced.Keys.ToList())
        {
            if (!seen.Contains(pid))
            {
                Forget(pid);
            }
        }

        return added;
    }

    /// <summary>Re-examines one process after an event about it (it exec'd, or a socket of it entered LISTEN):
    /// traces it when it now matches, untraces it when it stopped matching. Cheaper than <see cref="Scan"/>, which
    /// reads every process; returns whether the process was added.</summary>
    public bool Check(uint pid)
    {
        if (pid == _selfPid)
        {
            return false;
        }

        var info = _proc.IsProcess(pid) ? _proc.Read(pid, _needsPorts) : null;
        if (info is null || !Selected(info))
        {
            if (_traced.ContainsKey(pid))
            {
                Forget(pid);
            }

            return false;
        }

        if (_traced.TryAdd(pid, info))
        {
            _filter.Add(pid);
            return true;
        }

        _traced[pid] = info;
        return false;
    }

    /// <summary>A traced process forked a new process: trace the child at once (nginx workers, prefork servers),
    /// unless it no longer matches (the next scan decides).</summary>
    public void OnFork(uint parentTgid, uint childPid)
    {
        if (!_traced.TryGetValue(parentTgid, out var parent) || _traced.ContainsKey(childPid) || !_proc.IsProcess(childPid))
        {
            return;
        }

        var info = _proc.Read(childPid, false) ?? parent with { Pid = childPid };
        _traced[childPid] = info;
        _filter.Add(childPid);
    }

    /// <summary>A traced process exited: untrace it and drop what the kernel still holds for it.</summary>
    public void OnExit(uint tgid)
    {
        if (_traced.ContainsKey(tgid))
        {
            Forget(tgid);
        }
    }

    /// <summary>Untraces everything (shutdown).</summary>
    public void Clear()
    {
        foreach (uint pid in _traced.Keys.ToList())
        {
            Forget(pid);
        }
    }

    private void Forget(uint pid)
    {
        _traced.Remove(pid);
        _filter.Remove(pid);
        PurgedConnections += _filter.PurgeConnections(pid);
    }

    private bool Selected(ProcessInfo info)
    {
        bool included = false;
        foreach (var selector in _config.Instrument)
        {
            if (selector.Matches(info))
            {
                included = true;
                break;
            }
        }

        if (!included)
        {
            return false;
        }

        foreach (var selector in _config.ExcludeInstrument)
        {
            if (selector.Matches(info))
            {
                return false;
            }
        }

        foreach (var selector in _config.DefaultExcludeInstrument)
        {
            if (selector.Matches(info))
            {
                return false;
            }
        }

        return true;
    }
}
