using Pipeline.Abstractions;
using Pipeline.Exporters.Nop;
using Pipeline.Host.Tests.Graph;
using Pipeline.Telemetry;
using Pipeline.Testing;

namespace Pipeline.Host.Tests.Exporters;

public sealed class NopExporterTests
{
    [Fact]
    public async Task Lifecycle_ConsumeReadOnlyData_AcceptsAndDiscards()
    {
        var factory = new NopExporterFactory();
        var exporter = factory.CreateExporter<Traces>(TestSettings.For(ComponentKind.Exporter, "nop"), factory.CreateDefaultConfig());
        var data = GraphFixture.Spans("a");
        data.MarkReadOnly();

        await exporter.StartAsync(NopHost.Instance, CancellationToken.None);
        await exporter.ConsumeAsync(data, CancellationToken.None);
        await exporter.ShutdownAsync(CancellationToken.None);

        Assert.False(exporter.Capabilities.MutatesData);
        Assert.Equal(1, data.ItemCount);
    }

    [Fact]
    public async Task ShutdownAsync_WithoutStart_Completes()
    {
        var factory = new NopExporterFactory();
        var exporter = factory.CreateExporter<Logs>(TestSettings.For(ComponentKind.Exporter, "nop"), factory.CreateDefaultConfig());

        await exporter.ShutdownAsync(CancellationToken.None);

        Assert.Equal(3, factory.Stability.Count);
    }
}
