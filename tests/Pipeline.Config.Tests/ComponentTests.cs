using Pipeline.Abstractions;
using Pipeline.Config.Tests.Fakes;

namespace Pipeline.Config.Tests;

public sealed class ComponentTests
{
    [Fact]
    public void Rejects_UnknownTopLevelKey()
    {
        string path = Load.TestData("invalid-top-level.yaml");

        var errors = Load.SourceErrors([path]);

        Assert.Equal([$"has invalid keys: unknown_section. ({path}:5:1)"], errors);
    }

    [Fact]
    public void Rejects_UnknownType_ListingValidTypesSorted()
    {
        var errors = Load.Errors(Load.MinimalPipeline + "\n  extensions: []\nprocessors:\n  foo/bar:\n");

        Assert.Equal(["processors::foo/bar: unknown type: \"foo\" for id: \"foo/bar\" (valid values: [batch]). (test.yaml:12:3)"], errors);
    }

    [Fact]
    public void Rejects_UnknownReceiverType_ListingValidTypesSorted()
    {
        var errors = Load.Errors(Load.MinimalPipeline.Replace("  fake:\n", "  fake:\n  nope:\n", StringComparison.Ordinal));

        Assert.Equal(["receivers::nope: unknown type: \"nope\" for id: \"nope\" (valid values: [fake zeta]). (test.yaml:3:3)"], errors);
    }

    [Fact]
    public void Rejects_LoggingExporter_PointingToDebug()
    {
        var errors = Load.Errors(Load.MinimalPipeline.Replace("  debug:\n", "  debug:\n  logging:\n", StringComparison.Ordinal));

        Assert.Equal(["exporters::logging: the logging exporter has been deprecated, use the debug exporter instead. (test.yaml:5:3)"], errors);
    }

    [Fact]
    public void Rejects_InvalidId()
    {
        var errors = Load.Errors(Load.MinimalPipeline.Replace("  fake:\n", "  fake:\n  fake/:\n", StringComparison.Ordinal));

        Assert.Equal(["receivers: in \"fake/\" id: the part after / should not be empty. (test.yaml:3:3)"], errors);
    }

    [Fact]
    public void Rejects_DuplicateIdAfterTrimming()
    {
        var errors = Load.Errors(Load.MinimalPipeline.Replace("  fake:\n", "  fake:\n  \" fake\":\n", StringComparison.Ordinal));

        Assert.Equal(["receivers::fake: duplicate name: \" fake\" is the same ID as another receiver once spaces are trimmed. (test.yaml:3:3)"], errors);
    }

    [Fact]
    public void Load_NullBody_GivesDefaults()
    {
        var config = Load.Yaml(Load.MinimalPipeline);

        var receiver = (FakeReceiverConfig)config.Receivers[new ComponentId("fake")].Config;
        Assert.Equal("localhost:4317", receiver.Endpoint);
        Assert.Equal(TimeSpan.FromSeconds(5), receiver.Timeout);
    }

    [Fact]
    public void Rejects_UnknownComponentKey_AtItsLine()
    {
        var errors = Load.Errors(Load.MinimalPipeline.Replace("  fake:\n", "  fake:\n    protocols:\n      grpc:\n        max_recv_msg_size: 4\n", StringComparison.Ordinal));

        Assert.Equal(["receivers::fake::protocols::grpc: has invalid keys: max_recv_msg_size. (test.yaml:5:9)"], errors);
    }

    [Fact]
    public void Rejects_BadDuration()
    {
        var errors = Load.Errors(Load.MinimalPipeline.Replace("  fake:\n", "  fake:\n    timeout: 5 seconds\n", StringComparison.Ordinal));

        Assert.Equal(["receivers::fake::timeout: invalid duration \"5 seconds\": use a number with a unit (ns, us, ms, s, m, h) such as 200ms, 5s or 1m30s. (test.yaml:3:14)"], errors);
    }

    [Fact]
    public void Rejects_ValidateRule_EvenOnAnUnusedComponent()
    {
        const string yaml = Load.MinimalPipeline + """

            processors:
              batch/fast:
                send_batch_size: 200
                send_batch_max_size: 100
            """;

        var errors = Load.Errors(yaml);

        Assert.Equal(["processors::batch/fast: send_batch_max_size (100) must be >= send_batch_size (200). (test.yaml:11:3)"], errors);
    }

    [Fact]
    public void Rejects_AmbiguousConnectorId()
    {
        var registry = FakeFactories.Registry().Add(new FakeFactories.Exporter("forward", [], FakeFactories.AllSignals));
        const string yaml = """
            receivers:
              fake:
            exporters:
              forward:
            connectors:
              forward:
            service:
              pipelines:
                traces:
                  receivers: [fake]
                  exporters: [forward]
            """;

        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadYaml(yaml, Load.Source, registry, Load.Env(null), new ListLogger()));

        Assert.Equal(
            ["connectors::forward: ambiguous ID: Found both \"forward\" exporter and \"forward\" connector. Change one of the components' IDs to eliminate ambiguity (e.g. rename \"forward\" connector to \"forward/connector\"). (test.yaml:6:3)"],
            e.Errors.Select(x => x.ToString()));
    }

    [Fact]
    public void Rejects_NoReceiversAndNoExporters()
    {
        const string yaml = """
            processors:
              batch:
            service:
              pipelines:
                traces:
                  processors: [batch]
            """;

        var errors = Load.Errors(yaml);

        Assert.Equal(
            [
                "no receiver configuration specified in config.",
                "no exporter configuration specified in config.",
                "service::pipelines::traces: must have at least one receiver. (test.yaml:5:5)",
                "service::pipelines::traces: must have at least one exporter. (test.yaml:5:5)",
            ],
            errors);
    }

    [Fact]
    public void Rejects_OnlyServiceSection_AsEmpty()
    {
        var errors = Load.Errors("service:\n  pipelines:\n");

        Assert.Equal(["empty configuration file. (test.yaml)"], errors);
    }
}
