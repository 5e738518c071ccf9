using System.Runtime.InteropServices;
using Pipeline.Receivers.Ebpf.Events;
using Pipeline.Receivers.Ebpf.Interop;
using Pipeline.Receivers.Ebpf.Native;

namespace Pipeline.Receivers.Ebpf.Loader;

/// <summary>Settings fixed at load time.</summary>
/// <param name="SelfTgid">Our own process id: never traced, even if user space asked.</param>
/// <param name="CaptureSize">Bytes copied per syscall (clamped to PL_CAPTURE_MAX).</param>
/// <param name="RingBufferSize">Ring buffer bytes: a power of two and a multiple of the page size.</param>
/// <param name="WakeupBytes">Wake the reader only once this much is queued (0: on every record).</param>
/// <param name="Mode">Which of the object's two program sets is loaded and attached.</param>
internal readonly record struct TracerOptions(uint SelfTgid, uint CaptureSize, uint RingBufferSize, ulong WakeupBytes, AttachMode Mode = AttachMode.Tracepoint);

/// <summary>The loaded socket-trace object: opens the embedded ELF, sets .rodata and the ring-buffer size, loads,
/// attaches every program, and offers the maps user space drives (pid filter, stats, connection purge).
/// Dispose detaches every link and closes every fd.</summary>
internal sealed class SocketTracer : IDisposable
{
    /// <summary>The manifest resource name of the object built from bpf/src/socket_trace.bpf.c.</summary>
    public const string ResourceName = "socket_trace.bpf.o";

    private readonly BpfObjectHandle _object;
    private readonly List<BpfLinkHandle> _links = [];
    private readonly int _pidFilterFd;
    private readonly int _connsFd;
    private readonly int _statsFd;
    private readonly int _excludedPortsFd;
    private readonly int _excludedEpochFd;
    private uint _excludedEpoch;
    private readonly int _cpus;
    private readonly HashSet<ushort> _excludedPorts = [];

    private SocketTracer(BpfObjectHandle obj, AttachMode mode)
    {
        _object = obj;
        Mode = mode;
        _excludedPortsFd = MapFd("excluded_ports");
        _excludedEpochFd = MapFd("excluded_epoch");
        _pidFilterFd = MapFd("pid_filter");
        _connsFd = MapFd("conns");
        _statsFd = MapFd("stats");
        EventsFd = MapFd("events");
        _cpus = Math.Max(1, Libbpf.LibbpfNumPossibleCpus());
    }

    /// <summary>The ring buffer map's fd (owned by the object).</summary>
    public int EventsFd { get; }

    /// <summary>The program set that is attached.</summary>
    public AttachMode Mode { get; }

    /// <summary>The ports whose connections the kernel skips (as last set).</summary>
    public IReadOnlyCollection<ushort> ExcludedPorts => _excludedPorts;

    /// <summary>Names of the attached programs.</summary>
    public IReadOnlyList<string> AttachedPrograms { get; private set; } = [];

    /// <summary>Loads and attaches; throws <see cref="BpfException"/> naming the failing step.</summary>
    public static SocketTracer Load(TracerOptions options)
    {
        byte[] elf = ReadEmbeddedObject();
        var obj = BpfObjectHandle.Open(elf);
        try
        {
            Configure(obj, options);
            SelectPrograms(obj, options.Mode);
            int rc = Libbpf.BpfObjectLoad(obj);
            if (rc != 0)
            {
                throw new BpfException("bpf_object__load", rc);
            }

            var tracer = new SocketTracer(obj, options.Mode);
            try
            {
                tracer.AttachAll();
            }
            catch
            {
                tracer.Dispose();
                throw;
            }

            return tracer;
        }
        catch
        {
            obj.Dispose();
            throw;
        }
    }

    /// <summary>The embedded BPF object.</summary>
    public static byte[] ReadEmbeddedObject()
    {
        using var stream = typeof(SocketTracer).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException("The receiver assembly does not embed " + ResourceName + ".");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Starts tracing a process.</summary>
    public unsafe void AddPid(uint tgid)
    {
        byte one = 1;
        int rc = Libbpf.BpfMapUpdateElem(_pidFilterFd, &tgid, &one, 0);
        if (rc != 0)
        {
            throw new BpfException("bpf_map_update_elem(pid_filter)", rc);
        }
    }

    /// <summary>Stops tracing a process; true if it was traced.</summary>
    public unsafe bool RemovePid(uint tgid) => Libbpf.BpfMapDeleteElem(_pidFilterFd, &tgid) == 0;

    /// <summary>Whether the kernel filter holds the process.</summary>
    public unsafe bool HasPid(uint tgid)
    {
        byte value;
        return Libbpf.BpfMapLookupElem(_pidFilterFd, &tgid, &value) == 0;
    }

    /// <summary>The processes in the kernel filter.</summary>
    public List<uint> TracedPids() => Keys<uint>(_pidFilterFd);

    /// <summary>Makes the kernel's excluded-port set equal <paramref name="ports"/>; returns true when it changed.</summary>
    public unsafe bool SetExcludedPorts(IReadOnlySet<ushort> ports)
    {
        bool changed = false;
        foreach (ushort port in ports)
        {
            if (!_excludedPorts.Contains(port))
            {
                ushort key = port;
                byte one = 1;
                int rc = Libbpf.BpfMapUpdateElem(_excludedPortsFd, &key, &one, 0);
                if (rc != 0)
                {
                    throw new BpfException("bpf_map_update_elem(excluded_ports)", rc);
                }

                _excludedPorts.Add(port);
                changed = true;
            }
        }

        foreach (ushort port in _excludedPorts.ToArray())
        {
            if (!ports.Contains(port))
            {
                ushort key = port;
                Libbpf.BpfMapDeleteElem(_excludedPortsFd, &key);
                _excludedPorts.Remove(port);
                changed = true;
            }
        }

        if (changed)
        {
            // Connections already tracked check their ports again on their next data event.
            uint zero = 0;
            uint epoch = ++_excludedEpoch;
            int rc = Libbpf.BpfMapUpdateElem(_excludedEpochFd, &zero, &epoch, 0);
            if (rc != 0)
            {
                throw new BpfException("bpf_map_update_elem(excluded_epoch)", rc);
            }
        }

        return changed;
    }

    /// <summary>The excluded ports as the kernel map holds them (tests).</summary>
    internal List<uint> ExcludedPortsInKernel() => Keys<ushort>(_excludedPortsFd).ConvertAll(port => (uint)port);

    /// <summary>Deletes every connection entry of a process (after it exited without closing them); returns how many.</summary>
    public unsafe int PurgeConnections(uint tgid)
    {
        var doomed = new List<ulong>();
        foreach (ulong key in Keys<ulong>(_connsFd))
        {
            if ((uint)(key >> 32) == tgid)
            {
                doomed.Add(key);
            }
        }

        foreach (ulong key in doomed)
        {
            ulong k = key;
            Libbpf.BpfMapDeleteElem(_connsFd, &k);
        }

        return doomed.Count;
    }

    /// <summary>Connection entries held for a process.</summary>
    public int CountConnections(uint tgid)
    {
        int n = 0;
        foreach (ulong key in Keys<ulong>(_connsFd))
        {
            if ((uint)(key >> 32) == tgid)
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>The per-CPU stats counters summed over CPUs, indexed by PL_STAT_*.</summary>
    public unsafe ulong[] ReadStats()
    {
        var totals = new ulong[EventKinds.StatCount];
        var perCpu = new ulong[_cpus];
        fixed (ulong* values = perCpu)
        {
            for (uint i = 0; i < EventKinds.StatCount; i++)
            {
                uint index = i;
                if (Libbpf.BpfMapLookupElem(_statsFd, &index, values) != 0)
                {
                    continue;
                }

                ulong sum = 0;
                for (int cpu = 0; cpu < _cpus; cpu++)
                {
                    sum += values[cpu];
                }

                totals[i] = sum;
            }
        }

        return totals;
    }

    public void Dispose()
    {
        foreach (var link in _links)
        {
            link.Dispose();
        }

        _links.Clear();
        _object.Dispose();
    }

    private static unsafe void Configure(BpfObjectHandle obj, TracerOptions options)
    {
        nint events = Libbpf.BpfObjectFindMapByName(obj, "events");
        int rc = Libbpf.BpfMapSetMaxEntries(events, options.RingBufferSize);
        if (rc != 0)
        {
            throw new BpfException("bpf_map__set_max_entries(events)", rc);
        }

        nint rodata = FindRodata(obj);
        nuint size;
        var image = (BpfConfig*)Libbpf.BpfMapInitialValue(rodata, &size);
        if (image is null || size < (nuint)sizeof(BpfConfig))
        {
            throw new InvalidOperationException("The BPF object's .rodata does not hold struct pl_config.");
        }

        image->self_tgid = options.SelfTgid;
        image->capture_size = Math.Min(options.CaptureSize, (uint)EventKinds.CaptureMax);
        image->wakeup_bytes = options.WakeupBytes;
    }

    private static nint FindRodata(BpfObjectHandle obj)
    {
        for (nint map = Libbpf.BpfObjectNextMap(obj, 0); map != 0; map = Libbpf.BpfObjectNextMap(obj, map))
        {
            string? name = Marshal.PtrToStringUTF8(Libbpf.BpfMapName(map));
            if (name is not null && name.EndsWith(".rodata", StringComparison.Ordinal))
            {
                return map;
            }
        }

        throw new InvalidOperationException("The BPF object has no .rodata map.");
    }

    /// <summary>Which set a program belongs to, from its section: <c>raw_tracepoint/…</c> and <c>raw_tp/…</c> are raw.</summary>
    internal static AttachMode ModeOf(string section) =>
        section.StartsWith("raw_tracepoint/", StringComparison.Ordinal) || section.StartsWith("raw_tp/", StringComparison.Ordinal)
            ? AttachMode.RawTracepoint
            : AttachMode.Tracepoint;

    /// <summary>Loads only the programs of the chosen set: both sets call the same handlers, and attaching both would
    /// report every syscall twice.</summary>
    private static void SelectPrograms(BpfObjectHandle obj, AttachMode mode)
    {
        for (nint prog = Libbpf.BpfObjectNextProgram(obj, 0); prog != 0; prog = Libbpf.BpfObjectNextProgram(obj, prog))
        {
            int rc = Libbpf.BpfProgramSetAutoload(prog, ModeOf(SectionOf(prog)) == mode);
            if (rc != 0)
            {
                throw new BpfException("bpf_program__set_autoload", rc);
            }
        }
    }

    private static string SectionOf(nint prog) => Marshal.PtrToStringUTF8(Libbpf.BpfProgramSectionName(prog)) ?? string.Empty;

    private void AttachAll()
    {
        var names = new List<string>();
        for (nint prog = Libbpf.BpfObjectNextProgram(_object, 0); prog != 0; prog = Libbpf.BpfObjectNextProgram(_object, prog))
        {
            if (ModeOf(SectionOf(prog)) != Mode)
            {
                continue;
            }

            string name = Marshal.PtrToStringUTF8(Libbpf.BpfProgramName(prog)) ?? "?";
            var link = Libbpf.BpfProgramAttach(prog);
            if (link.IsInvalid)
            {
                int errno = Marshal.GetLastPInvokeError();
                link.Dispose();
                string section = Marshal.PtrToStringUTF8(Libbpf.BpfProgramSectionName(prog)) ?? name;
                throw new BpfException("bpf_program__attach(" + section + ")", errno);
            }

            _links.Add(link);
            names.Add(name);
        }

        AttachedPrograms = names;
    }

    private int MapFd(string name)
    {
        nint map = Libbpf.BpfObjectFindMapByName(_object, name);
        int fd = map == 0 ? -1 : Libbpf.BpfMapFd(map);
        return fd >= 0 ? fd : throw new InvalidOperationException("The BPF object has no map " + name + ".");
    }

    /// <summary>Every key of a BPF hash map whose keys are <typeparamref name="TKey"/> (u32 pids, u64 connection keys).</summary>
    private static unsafe List<TKey> Keys<TKey>(int fd)
        where TKey : unmanaged
    {
        var keys = new List<TKey>();
        TKey key = default;
        TKey next;
        void* previous = null;
        while (Libbpf.BpfMapGetNextKey(fd, previous, &next) == 0)
        {
            keys.Add(next);
            key = next;
            previous = &key;
        }

        return keys;
    }
}
