namespace Pipeline.Receivers.Ebpf.Tests.Kernel;

/// <summary>Counts this process's BPF fds (maps, programs, links show as anon_inode:bpf-*), to prove cleanup.</summary>
internal static class BpfFds
{
    public static int Count()
    {
        int n = 0;
        foreach (string fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                string? target = new FileInfo(fd).LinkTarget;
                if (target is not null && target.StartsWith("anon_inode:bpf", StringComparison.Ordinal))
                {
                    n++;
                }
            }
            catch (IOException)
            {
                // the fd closed while we listed it
            }
        }

        return n;
    }
}
