using Pipeline.Abstractions;
using Pipeline.Processors.Resource;
using Pipeline.Telemetry;
using Pipeline.Testing;
using Xunit;

namespace Pipeline.Processors.Tests.Resource;

public sealed class ResourceProcessorTests
{
    [Fact]
    public async Task ConsumeAsync_Traces_AppliesActionsToEveryResource()
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(sink, """
            attributes:
              - {key: deployment.environment, value: prod, action: upsert}
              - {key: service.name, action: delete}
            """);

        await processor.ConsumeAsync(TestData.Spans(12, perScope: 3, scopesPerResource: 2), default);

        var request = Assert.Single(sink.Batches).Request;
        Assert.Equal(2, request.ResourceSpans.Count);
        foreach (var rs in request.ResourceSpans)
        {
            var attr = Assert.Single(rs.Resource.Attributes);
            Assert.Equal("deployment.environment", attr.Key);
            Assert.Equal("prod", attr.Value.StringValue);
        }
    }

    [Fact]
    public async Task ConsumeAsync_MetricsAndLogs_AppliesActions()
    {
        var metrics = new SinkConsumer<Metrics>();
        var logs = new SinkConsumer<Logs>();
        const string yaml = "attributes:\n  - {key: region, value: eu, action: insert}";

        await Create(metrics, yaml).ConsumeAsync(TestData.Points(5), default);
        await Create(logs, yaml).ConsumeAsync(TestData.LogRecords(5), default);

        Assert.All(metrics.Batches[0].Request.ResourceMetrics, rm => Assert.Equal("eu", rm.Resource.Attributes[1].Value.StringValue));
        Assert.All(logs.Batches[0].Request.ResourceLogs, rl => Assert.Equal("eu", rl.Resource.Attributes[1].Value.StringValue));
    }

    [Fact]
    public async Task ConsumeAsync_FromContext_EveryResourceGetsTheBatchClientValue()
    {
        var sink = new SinkConsumer<Logs>();
        var processor = Create(sink, """
            attributes:
              - {key: tenant, from_context: metadata.x-tenant, action: upsert}
              - {key: client.address, from_context: client.address, action: insert}
              - {key: subject, from_context: auth.subject, action: insert}
            """);
        var client = new ClientInfo("192.0.2.9", [new("X-Tenant", ["a", "b"])]);

        await processor.ConsumeAsync(TestData.LogRecords(6).WithClient(client), default);

        var resources = Assert.Single(sink.Batches).Request.ResourceLogs;
        Assert.NotEmpty(resources);
        foreach (var rl in resources)
        {
            var attrs = rl.Resource.Attributes.ToDictionary(a => a.Key, a => a.Value.StringValue);
            Assert.Equal("a;b", attrs["tenant"]);
            Assert.Equal("192.0.2.9", attrs["client.address"]);
            Assert.False(attrs.ContainsKey("subject"));
        }
    }

    [Fact]
    public void Capabilities_MutatesData()
    {
        var processor = Create(new SinkConsumer<Logs>(), "attributes:\n  - {key: a, action: delete}");

        Assert.True(processor.Capabilities.MutatesData);
    }

    [Fact]
    public void Rejects_MissingAttributes()
    {
        var errors = Yaml.Load("processors::test", new ResourceConfig(), "attributes: []");

        Assert.Equal(["processors::test: missing required field \"attributes\"."], errors);
    }

    [Fact]
    public void Rejects_InvalidActionWithOtelcolMessage()
    {
        var errors = Yaml.Load("processors::test", new ResourceConfig(), "attributes:\n  - {key: a, action: insert}");

        Assert.Equal(["processors::test::attributes: error creating AttrProc. Either field \"value\", \"from_attribute\" or \"from_context\" setting must be specified for 0-th action."], errors);
    }

    [Fact]
    public void Rejects_UnknownActionKey()
    {
        var errors = Yaml.Load("processors::test", new ResourceConfig(), "attributes:\n  - {key: a, valeu: 1, action: insert}");

        Assert.Equal(["processors::test::attributes::0: has invalid keys: valeu."], errors);
    }

    private static IProcessor<T> Create<T>(IConsumer<T> next, string yaml)
        where T : TelemetryData
    {
        var factory = new ResourceProcessorFactory();
        var config = factory.CreateDefaultConfig();
        Assert.Empty(Yaml.Load("processors::test", config, yaml));
        return factory.CreateProcessor(TestSettings.For(ComponentKind.Processor, "resource"), config, next);
    }
}
