using System.Globalization;

namespace Pipeline.Processors.MemoryLimiter;

/// <summary>The memory the process may use: its cgroup v2 (or v1) limit when one is set, else the machine's RAM.</summary>
internal static class AvailableMemory
{
    public static long Read()
    {
        long ram = ReadMemTotal();
        long cgroup = ReadCgroupLimit();
        return cgroup > 0 && (ram <= 0 || cgroup < ram) ? cgroup : ram;
    }

    private static long ReadMemTotal()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                {
                    var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return long.Parse(parts[1], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }

    // /proc/self/cgroup gives the process's cgroup path ("0::/a/b" for v2, "N:memory:/a/b" for v1);
    // /proc/self/mountinfo gives where each hierarchy is mounted (v2 may be at /sys/fs/cgroup or /sys/fs/cgroup/unified).
    private static long ReadCgroupLimit()
    {
        try
        {
            string? v2Path = null;
            string? v1Path = null;
            foreach (var line in File.ReadLines("/proc/self/cgroup"))
            {
                var parts = line.Split(':', 3);
                if (parts.Length != 3)
                {
                    continue;
                }

                if (parts[0] == "0" && parts[1].Length == 0)
                {
                    v2Path = parts[2];
                }
                else if (parts[1].Split(',').Contains("memory"))
                {
                    v1Path = parts[2];
                }
            }

            foreach (var line in File.ReadLines("/proc/self/mountinfo"))
            {
                // fields: id parent major:minor root mountpoint options ... - fstype source superoptions
                var sep = line.IndexOf(" - ", StringComparison.Ordinal);
                if (sep < 0)
                {
                    continue;
                }

                var fields = line[..sep].Split(' ');
                var tail = line[(sep + 3)..].Split(' ');
                string mount = fields[4];
                if (tail[0] == "cgroup2" && v2Path is not null)
                {
                    long v = ReadLimitFile(Path.Join(mount, v2Path, "memory.max"));
                    if (v > 0)
                    {
                        return v;
                    }
                }
                else if (tail[0] == "cgroup" && v1Path is not null && tail.Length > 2 && tail[2].Contains("memory", StringComparison.Ordinal))
                {
                    long v = ReadLimitFile(Path.Join(mount, v1Path, "memory.limit_in_bytes"));
                    if (v > 0)
                    {
                        return v;
                    }
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return 0;
    }

    private static long ReadLimitFile(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        string text = File.ReadAllText(path).Trim();
        // "max" (v2) or a huge number (v1) mean no limit.
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value < long.MaxValue / 2 ? value : 0;
    }
}
