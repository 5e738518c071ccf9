using Pipeline.Abstractions;
using Pipeline.Config.Tests.Fakes;

namespace Pipeline.Config.Tests;

public sealed class YamlReadingTests
{
    [Fact]
    public void Load_ValidFixture_BindsEverySection()
    {
        var logger = new ListLogger();

        var config = Load.Sources([Load.TestData("valid.yaml")], logger: logger);

        var receiver = (FakeReceiverConfig)config.Receivers[new ComponentId("fake", "in")].Config;
        Assert.Equal("0.0.0.0:4317", receiver.Endpoint);
        Assert.Equal(TimeSpan.FromSeconds(90), receiver.Timeout);
        Assert.Equal(8, receiver.Workers);
        Assert.Equal(16, receiver.MaxRecvMsgSizeMib);
        Assert.Equal(TimeSpan.FromMilliseconds(250), receiver.HttpReadTimeout);
        Assert.Equal(4, ((FakeReceiverConfig)config.Receivers[new ComponentId("zeta")].Config).Workers);
        Assert.Equal(100, ((FakeBatchConfig)config.Processors[new ComponentId("batch")].Config).SendBatchSize);
        Assert.True(config.Processors.ContainsKey(new ComponentId("batch", "unused")));
        var otlp = config.Exporters[new ComponentId("otlp")];
        Assert.True(otlp.UsesDeprecatedAlias);
        Assert.Equal("otlp_grpc", otlp.Factory.Type);
        Assert.Equal("acme", ((FakeExporterConfig)otlp.Config).Headers["x-tenant"]);
        Assert.Equal(Load.TestData("valid.yaml") + ":21:3", otlp.Location!.ToString());
        Assert.Single(config.Connectors);
        Assert.Equal([new ComponentId("health_check")], config.Service.Extensions);
        var traces = config.Service.Pipelines[new PipelineId(Pipeline.Telemetry.Signal.Traces, string.Empty)];
        Assert.Equal([new ComponentId("fake", "in"), new ComponentId("zeta")], traces.Receivers);
        Assert.Equal([new ComponentId("otlp"), new ComponentId("forward")], traces.Exporters);
        Assert.Equal([new ComponentId("fake", "in")], config.Service.Pipelines[new PipelineId(Pipeline.Telemetry.Signal.Metrics, string.Empty)].Receivers);
        Assert.Equal(3, config.Service.Pipelines.Count);
    }

    [Fact]
    public void Load_ValidFixture_BindsTelemetry()
    {
        var config = Load.Sources([Load.TestData("valid.yaml")]);

        var telemetry = config.Service.Telemetry;
        Assert.Equal("debug", telemetry.LogLevel);
        Assert.Equal("json", telemetry.LogEncoding);
        Assert.Equal("detailed", telemetry.MetricsLevel);
        Assert.Equal("0.0.0.0", telemetry.MetricsHost);
        Assert.Equal(9999, telemetry.MetricsPort);
        Assert.True(telemetry.WithoutUnits);
        Assert.False(telemetry.WithoutScopeInfo);
        Assert.True(telemetry.MetricsPullEnabled);
        Assert.Equal("my-collector", telemetry.Resource["service.name"]);
        Assert.Null(telemetry.Resource["service.instance.id"]);
    }

    [Fact]
    public void Load_DeprecatedAlias_LogsWarning()
    {
        var logger = new ListLogger();

        Load.Sources([Load.TestData("valid.yaml")], logger: logger);

        var entry = Assert.Single(logger.Entries);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, entry.Level);
        Assert.Equal("\"otlp\" alias is deprecated; use \"otlp_grpc\" instead", entry.Message);
    }

    [Fact]
    public void Rejects_SyntaxError_WithFileAndLine()
    {
        string path = Load.TestData("syntax-error.yaml");

        var errors = Load.SourceErrors([path]);

        Assert.Equal([$"yaml: While scanning a multi-line double-quoted scalar, found wrong indentation. ({path}:3:15)"], errors);
    }

    [Fact]
    public void Rejects_EmptyFile()
    {
        string path = Load.TestData("empty.yaml");

        var errors = Load.SourceErrors([path]);

        Assert.Equal([$"empty configuration file. ({path})"], errors);
    }

    [Fact]
    public void Rejects_DuplicateKey_AtTheSecondKey()
    {
        string path = Load.TestData("duplicate-key.yaml");

        var errors = Load.SourceErrors([path]);

        Assert.Equal([$"receivers::fake::workers: yaml: mapping key \"workers\" already defined at line 3. ({path}:4:5)"], errors);
    }

    [Fact]
    public void Rejects_MissingFile_NamingThePath()
    {
        var errors = Load.SourceErrors(["does-not-exist.yaml"]);

        Assert.Equal(["unable to read the file \"does-not-exist.yaml\": no such file or directory. (does-not-exist.yaml)"], errors);
    }

    [Fact]
    public void Rejects_QuotedNumber_ForAnIntField()
    {
        var errors = Load.Errors(Load.MinimalPipeline.Replace("  fake:\n", "  fake:\n    workers: \"8\"\n", StringComparison.Ordinal));

        Assert.Equal(["receivers::fake::workers: expected an integer, got the string \"8\". (test.yaml:3:14)"], errors);
    }

    [Fact]
    public void Accepts_AnchorsAliasesAndMergeKeys()
    {
        const string yaml = """
            receivers:
              fake/a: &common
                workers: 3
                endpoint: a:1
              fake/b:
                <<: *common
                endpoint: b:2
            exporters:
              debug:
            service:
              pipelines:
                traces:
                  receivers: [fake/a, fake/b]
                  exporters: [debug]
            """;

        var config = Load.Yaml(yaml);

        var b = (FakeReceiverConfig)config.Receivers[new ComponentId("fake", "b")].Config;
        Assert.Equal(3, b.Workers);
        Assert.Equal("b:2", b.Endpoint);
    }

    [Fact]
    public void Rejects_ARootThatIsNotAMap()
    {
        var errors = Load.Errors("- a\n- b\n");

        Assert.Equal(["the configuration must be a map of sections, got a list. (test.yaml:1:1)"], errors);
    }

    [Fact]
    public void Rejects_AliasBomb_WithoutRunningOutOfMemory()
    {
        var yaml = new System.Text.StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 9; i++)
        {
            yaml.Append(System.Globalization.CultureInfo.InvariantCulture, $"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n");
        }

        var errors = Load.Errors(yaml.ToString());

        Assert.Equal("the configuration has more than 100000 values once aliases are expanded. (test.yaml:1:1)", errors[0]);
    }

    [Fact]
    public void ParseYaml_Snippet_KeepsQuotingAndLocations()
    {
        var root = (Pipeline.Abstractions.Configuration.ConfigMap)ConfigLoader.ParseYaml("a:\n  b: \"1\"\n  c: 2\n  d:\n", "snippet.yaml")!;

        root.TryGet("a", out var a);
        var map = (Pipeline.Abstractions.Configuration.ConfigMap)a;
        map.TryGet("b", out var b);
        map.TryGet("c", out var c);
        map.TryGet("d", out var d);
        Assert.True(((Pipeline.Abstractions.Configuration.ConfigScalar)b).Quoted);
        Assert.False(((Pipeline.Abstractions.Configuration.ConfigScalar)c).Quoted);
        Assert.True(((Pipeline.Abstractions.Configuration.ConfigScalar)d).IsNull);
        Assert.Equal("snippet.yaml:3:6", c.Location!.ToString());
        Assert.Equal("snippet.yaml:3:3", map.KeyLocation("c")!.ToString());
    }
}
