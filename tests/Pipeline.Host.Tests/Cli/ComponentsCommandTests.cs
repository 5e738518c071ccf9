using Pipeline.Host.Cli;

namespace Pipeline.Host.Tests.Cli;

public sealed class ComponentsCommandTests
{
    [Fact]
    public void Render_ShippedFactories_ListsEachWithPerSignalStability()
    {
        var registry = Components.Create();

        string yaml = ComponentsCommand.Render(registry);

        Assert.StartsWith("buildinfo:\n    command: pipeline\n", yaml, StringComparison.Ordinal);
        Assert.Contains("    version: 0.1.0\n", yaml, StringComparison.Ordinal);
        Assert.Contains("exporters:\n", yaml, StringComparison.Ordinal);
        Assert.Contains("    - name: nop\n      stability:\n        logs: Beta\n        metrics: Beta\n        traces: Beta\n", yaml, StringComparison.Ordinal);
        Assert.Contains("    - name: debug\n      stability:\n        logs: Development\n", yaml, StringComparison.Ordinal);
        Assert.Contains("connectors:", yaml, StringComparison.Ordinal);
        Assert.Contains("extensions:", yaml, StringComparison.Ordinal);
    }
}
