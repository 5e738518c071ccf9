namespace Pipeline.Config.Tests;

public sealed class ServiceTests
{
    private const string Components = """
        receivers:
          fake:
        processors:
          batch:
        exporters:
          debug:
          zipkin:
        connectors:
          forward:
        extensions:
          health_check:

        """;

    [Fact]
    public void Rejects_UnconfiguredExtension()
    {
        var errors = Load.Errors(Load.MinimalPipeline + "\n  extensions: [health_check/x]\n");

        Assert.Equal(["service::extensions: references extension \"health_check/x\" which is not configured. (test.yaml:10:16)"], errors);
    }

    [Fact]
    public void Rejects_UnknownPipelineSignal()
    {
        var errors = Load.Errors(Load.MinimalPipeline + "\n    foo:\n      receivers: [fake]\n      exporters: [debug]\n");

        Assert.Equal(["service::pipelines::foo: unknown pipeline signal: \"foo\". (test.yaml:10:5)"], errors);
    }

    [Fact]
    public void Rejects_UnknownPipelineKey()
    {
        var errors = Load.Errors(Load.MinimalPipeline + "\n      exprters: [debug]\n");

        Assert.Equal(["service::pipelines::traces: has invalid keys: exprters. (test.yaml:10:7)"], errors);
    }

    [Fact]
    public void Rejects_UnconfiguredReceiver_AtTheReference()
    {
        var errors = Load.Errors(Components + """
            service:
              pipelines:
                traces:
                  receivers: [fake, x]
                  exporters: [debug]
            """);

        Assert.Equal(["service::pipelines::traces: references receiver \"x\" which is not configured. (test.yaml:15:25)"], errors);
    }

    [Fact]
    public void Rejects_UnconfiguredProcessorAndExporter()
    {
        var errors = Load.Errors(Components + """
            service:
              pipelines:
                logs/2:
                  receivers: [fake]
                  processors: [batch/x]
                  exporters: [nope]
            """);

        Assert.Equal(
            [
                "service::pipelines::logs/2: references processor \"batch/x\" which is not configured. (test.yaml:16:20)",
                "service::pipelines::logs/2: references exporter \"nope\" which is not configured. (test.yaml:17:19)",
            ],
            errors);
    }

    [Fact]
    public void Accepts_ConnectorAsExporterAndReceiver()
    {
        var config = Load.Yaml(Components + """
            service:
              extensions: [health_check]
              pipelines:
                traces/in:
                  receivers: [fake]
                  exporters: [forward]
                traces/out:
                  receivers: [forward]
                  processors: [batch]
                  exporters: [zipkin]
            """);

        Assert.Equal(2, config.Service.Pipelines.Count);
    }

    [Fact]
    public void Rejects_ConnectorWithoutASupportedPeerPipeline()
    {
        var errors = Load.Errors(Components + """
            service:
              pipelines:
                traces:
                  receivers: [fake]
                  exporters: [forward]
                metrics:
                  receivers: [forward]
                  exporters: [debug]
            """);

        Assert.Equal(
            [
                "service::pipelines::traces: connector \"forward\" used as exporter in [traces] pipeline but not used in any supported receiver pipeline. (test.yaml:16:19)",
                "service::pipelines::metrics: connector \"forward\" used as receiver in [metrics] pipeline but not used in any supported exporter pipeline. (test.yaml:18:19)",
            ],
            errors);
    }

    [Fact]
    public void Rejects_PipelineWithoutReceiversOrExporters()
    {
        var errors = Load.Errors(Components + """
            service:
              pipelines:
                traces:
                  processors: [batch]
            """);

        Assert.Equal(
            [
                "service::pipelines::traces: must have at least one receiver. (test.yaml:14:5)",
                "service::pipelines::traces: must have at least one exporter. (test.yaml:14:5)",
            ],
            errors);
    }

    [Fact]
    public void Rejects_ProcessorListedTwice()
    {
        var errors = Load.Errors(Components + """
            service:
              pipelines:
                traces:
                  receivers: [fake]
                  processors: [batch, batch]
                  exporters: [debug]
            """);

        Assert.Equal(["service::pipelines::traces: references processor \"batch\" multiple times. (test.yaml:16:27)"], errors);
    }

    [Fact]
    public void Rejects_NoPipelines()
    {
        var errors = Load.Errors(Components + "service:\n  extensions: [health_check]\n");

        Assert.Equal(["service::pipelines: service must have at least one pipeline. (test.yaml:12:1)"], errors);
    }

    [Fact]
    public void Rejects_ExporterThatDoesNotSupportTheSignal()
    {
        var errors = Load.Errors(Components + """
            service:
              pipelines:
                metrics:
                  receivers: [fake]
                  exporters: [zipkin]
            """);

        Assert.Equal(["service::pipelines::metrics: failed to create \"zipkin\" exporter for data type \"metrics\": telemetry type is not supported. (test.yaml:16:19)"], errors);
    }

    [Fact]
    public void Rejects_InvalidIdInAPipeline()
    {
        var errors = Load.Errors(Load.MinimalPipeline.Replace("receivers: [fake]", "receivers: [fake, \"a b\"]", StringComparison.Ordinal));

        Assert.Equal(["service::pipelines::traces::receivers: in \"a b\" id: invalid character(s) in type \"a b\". (test.yaml:8:25)"], errors);
    }
}
