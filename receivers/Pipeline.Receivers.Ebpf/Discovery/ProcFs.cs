using System.Globalization;
using System.Text;

namespace Pipeline.Receivers.Ebpf.Discovery;

/// <summary>Reads processes from /proc (the root is a parameter so tests can use a fake tree). Every read tolerates
/// the process vanishing mid-way.</summary>
internal sealed class ProcFs
{
    private const string TcpListenState = "0A";

    public ProcFs(string root = "/proc")
    {
        Root = root;
    }

    public string Root { get; }

    /// <summary>Numeric entries of /proc.</summary>
    public List<uint> ListPids()
    {
        var pids = new List<uint>();
        foreach (string dir in Directory.EnumerateDirectories(Root))
        {
            if (uint.TryParse(Path.GetFileName(dir.AsSpan()), NumberStyles.None, CultureInfo.InvariantCulture, out uint pid))
            {
                pids.Add(pid);
            }
        }

        return pids;
    }

    public bool Exists(uint pid) => Directory.Exists(PidDir(pid));

    /// <summary>Whether pid is a process (thread-group leader) rather than a thread of another process.</summary>
    public bool IsProcess(uint pid)
    {
        string? tgid = StatusField(pid, "Tgid:");
        return tgid is not null && tgid == pid.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Reads a process; null when it is gone or is a kernel thread (no command line).</summary>
    public ProcessInfo? Read(uint pid, bool withPorts, Dictionary<string, Dictionary<ulong, int>>? listenCache = null)
    {
        try
        {
            string dir = PidDir(pid);
            byte[] raw = File.ReadAllBytes(dir + "/cmdline");
            if (raw.Length == 0)
            {
                return null;
            }

            var args = SplitNul(raw);
            string? exe = null;
            try
            {
                exe = new FileInfo(dir + "/exe").LinkTarget;
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }

            string name = Path.GetFileName(exe ?? args[0]);
            uint nsPid = NamespacePid(pid);
            string? service = ServiceName(pid);
            IReadOnlyList<int> ports = withPorts ? ListenPorts(pid, listenCache) : [];
            return new ProcessInfo(pid, nsPid, exe, name, args, service, ports);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>TCP ports in LISTEN held by the process: LISTEN inodes of its network namespace joined with its socket fds.</summary>
    public List<int> ListenPorts(uint pid, Dictionary<string, Dictionary<ulong, int>>? cache = null)
    {
        // The process's socket inodes first: most processes have none, and then the netns's TCP tables (whose read
        // walks every socket of the namespace in the kernel) are not read at all.
        string dir = PidDir(pid);
        var ports = new List<int>();
        var sockets = SocketInodes(dir);
        if (sockets.Count == 0)
        {
            return ports;
        }

        string netns;
        try
        {
            netns = new FileInfo(dir + "/ns/net").LinkTarget ?? dir;
        }
        catch (IOException)
        {
            netns = dir;
        }

        Dictionary<ulong, int>? listening = null;
        if (cache is null || !cache.TryGetValue(netns, out listening))
        {
            listening = [];

            // Our own namespace (the common case): ask the kernel for listeners only.
            if (netns != OwnNetNamespace || !SockDiag.TryReadListening(listening))
            {
                ReadListening(dir + "/net/tcp", listening);
                ReadListening(dir + "/net/tcp6", listening);
            }

            cache?.Add(netns, listening);
        }

        foreach (ulong inode in sockets)
        {
            if (listening.TryGetValue(inode, out int port) && !ports.Contains(port))
            {
                ports.Add(port);
            }
        }

        return ports;
    }

    /// <summary>The network namespace this process is in (the link target of <c>/proc/self/ns/net</c>), null if unknown.</summary>
    private static readonly string? OwnNetNamespace = ReadOwnNetNamespace();

    private static string? ReadOwnNetNamespace()
    {
        try
        {
            return new FileInfo("/proc/self/ns/net").LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Inodes of the process's sockets, from its fd links ("socket:[12345]").</summary>
    private static List<ulong> SocketInodes(string dir)
    {
        var inodes = new List<ulong>();
        try
        {
            foreach (string fd in Directory.EnumerateFileSystemEntries(dir + "/fd"))
            {
                string? target;
                try
                {
                    target = new FileInfo(fd).LinkTarget;
                }
                catch (IOException)
                {
                    continue;
                }

                if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal)
                    && ulong.TryParse(target.AsSpan(8, target.Length - 9), NumberStyles.None, CultureInfo.InvariantCulture, out ulong inode))
                {
                    inodes.Add(inode);
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return inodes;
    }

    internal static void ReadListening(string path, Dictionary<ulong, int> into)
    {
        try
        {
            bool header = true;
            foreach (string line in File.ReadLines(path))
            {
                if (header)
                {
                    header = false;
                    continue;
                }

                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length < 10 || f[3] != TcpListenState)
                {
                    continue;
                }

                int colon = f[1].LastIndexOf(':');
                if (int.TryParse(f[1].AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int port)
                    && ulong.TryParse(f[9], NumberStyles.None, CultureInfo.InvariantCulture, out ulong inode))
                {
                    into[inode] = port;
                }
            }
        }
        catch (IOException)
        {
        }
    }

    private uint NamespacePid(uint pid)
    {
        // "NSpid:	4711	12" (host first, innermost last)
        string? nspid = StatusField(pid, "NSpid:");
        if (nspid is null)
        {
            return pid;
        }

        string last = nspid.Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries)[^1];
        return uint.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out uint value) ? value : pid;
    }

    private string? StatusField(uint pid, string field)
    {
        try
        {
            foreach (string line in File.ReadLines(PidDir(pid) + "/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    return line[field.Length..].Trim();
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }

    private string? ServiceName(uint pid)
    {
        byte[] environ;
        try
        {
            environ = File.ReadAllBytes(PidDir(pid) + "/environ");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        string? fromAttributes = null;
        foreach (string entry in SplitNul(environ))
        {
            if (entry.StartsWith("OTEL_SERVICE_NAME=", StringComparison.Ordinal) && entry.Length > 18)
            {
                return entry[18..];
            }

            if (entry.StartsWith("OTEL_RESOURCE_ATTRIBUTES=", StringComparison.Ordinal))
            {
                foreach (string pair in entry[25..].Split(','))
                {
                    int eq = pair.IndexOf('=', StringComparison.Ordinal);
                    if (eq > 0 && pair.AsSpan(0, eq).Trim().SequenceEqual("service.name") && eq < pair.Length - 1)
                    {
                        fromAttributes = Uri.UnescapeDataString(pair[(eq + 1)..].Trim());
                    }
                }
            }
        }

        return fromAttributes;
    }

    private static List<string> SplitNul(byte[] raw)
    {
        var parts = new List<string>();
        int start = 0;
        for (int i = 0; i <= raw.Length; i++)
        {
            if (i == raw.Length || raw[i] == 0)
            {
                if (i > start)
                {
                    parts.Add(Encoding.UTF8.GetString(raw, start, i - start));
                }

                start = i + 1;
            }
        }

        if (parts.Count == 0)
        {
            parts.Add(string.Empty);
        }

        return parts;
    }

    private string PidDir(uint pid) => Root + "/" + pid.ToString(CultureInfo.InvariantCulture);
}
