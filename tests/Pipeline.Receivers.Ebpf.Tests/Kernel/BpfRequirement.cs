using Pipeline.Receivers.Ebpf.Loader;
using Xunit;

namespace Pipeline.Receivers.Ebpf.Tests.Kernel;

/// <summary>Gate for tests that load BPF: they skip with the probe's reason on a machine that cannot load it, and
/// fail instead when <c>PIPELINE_REQUIRE_EBPF=1</c> (CI sets it, so a broken CI machine never passes silently).</summary>
internal static class BpfRequirement
{
    private static readonly Lazy<string?> s_missing = new(Probe);

    /// <summary>Skips (or fails under PIPELINE_REQUIRE_EBPF=1) unless BPF programs can be loaded here.</summary>
    public static void Ensure()
    {
        string? missing = s_missing.Value;
        if (missing is null)
        {
            return;
        }

        if (Environment.GetEnvironmentVariable("PIPELINE_REQUIRE_EBPF") == "1")
        {
            Assert.Fail("PIPELINE_REQUIRE_EBPF=1 but eBPF cannot load here: " + missing);
        }

        Skip.If(true, missing);
    }

    /// <summary>Skips (never fails) unless an external program is installed.</summary>
    public static string RequireProgram(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Concat(["/usr/sbin", "/sbin"]))
        {
            string path = Path.Combine(dir, name);
            if (dir.Length > 0 && File.Exists(path))
            {
                return path;
            }
        }

        if (Environment.GetEnvironmentVariable("PIPELINE_REQUIRE_EBPF") == "1")
        {
            Assert.Fail("PIPELINE_REQUIRE_EBPF=1 but " + name + " is not installed (test.sh installs it).");
        }

        Skip.If(true, name + " is not installed.");
        return name;
    }

    private static string? Probe()
    {
        string? missing = new FeatureProbe().FindMissing();
        return missing ?? TraceFs.Ensure(out _);
    }
}
