using Xunit;

namespace Pipeline.Receivers.Ebpf.Tests.Kernel;

/// <summary>Tests that load BPF or count this process's fds run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KernelCollection
{
    public const string Name = "kernel";
}
