namespace Pipeline.Config.Tests;

public sealed class AllErrorsTests
{
    [Fact]
    public void Load_FourMistakes_ReportsFourErrorsInOrder()
    {
        string path = Load.TestData("four-mistakes.yaml");

        var e = Assert.Throws<ConfigException>(() => Load.Sources([path]));

        Assert.Equal(
            [
                $"receivers::fake: has invalid keys: workrs. ({path}:3:5)",
                $"processors::batch: send_batch_max_size (100) must be >= send_batch_size (200). ({path}:5:3)",
                $"exporters::kafka: unknown type: \"kafka\" for id: \"kafka\" (valid values: [debug otlp_grpc zipkin]). ({path}:10:3)",
                $"service::pipelines::traces: references receiver \"jaeger\" which is not configured. ({path}:14:25)",
            ],
            e.Errors.Select(x => x.ToString()));
        Assert.StartsWith("invalid configuration:" + Environment.NewLine + "  receivers::fake: has invalid keys: workrs.", e.Message, StringComparison.Ordinal);
    }
}
