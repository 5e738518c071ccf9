using System.Runtime.InteropServices;
using Pipeline.Host.Service;

namespace Pipeline.Host.Tests.Service;

public sealed class NativeAllocatorTests
{
    [SkippableFact]
    public void Configure_OnGlibc_AppliesTheFixedMmapThreshold()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "mallopt is glibc's.");
        Skip.If(RuntimeInformation.RuntimeIdentifier.Contains("musl", StringComparison.Ordinal), "musl has no M_MMAP_THRESHOLD.");
        Skip.IfNot(Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is null, "The environment sets the threshold.");

        bool applied = NativeAllocator.Configure();

        Assert.True(applied);
    }

    [SkippableFact]
    public void Configure_WhenTheOperatorSetTheThreshold_LeavesItAlone()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "mallopt is glibc's.");
        string? before = Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_");
        Environment.SetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_", "262144");
        try
        {
            bool applied = NativeAllocator.Configure();

            Assert.False(applied);
        }
        finally
        {
            Environment.SetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_", before);
        }
    }
}
