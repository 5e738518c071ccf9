using Pipeline.Processors.Batch;
using Pipeline.Testing;
using Xunit;

namespace Pipeline.Processors.Tests.Batch;

public sealed class BatchConfigTests
{
    [Fact]
    public void CreateDefaultConfig_HasOtelcolDefaults()
    {
        var config = (BatchConfig)new BatchProcessorFactory().CreateDefaultConfig();

        Assert.Equal(8192u, config.SendBatchSize);
        Assert.Equal(TimeSpan.FromMilliseconds(200), config.Timeout);
        Assert.Equal(0u, config.SendBatchMaxSize);
        Assert.Empty(config.MetadataKeys);
        Assert.Equal(1000u, config.MetadataCardinalityLimit);
    }

    [Fact]
    public void Accepts_AllKeys()
    {
        var config = new BatchConfig();

        var errors = Yaml.Load("processors::test", config, """
            send_batch_size: 100
            timeout: 5s
            send_batch_max_size: 200
            metadata_keys: [tenant, region]
            metadata_cardinality_limit: 10
            """);

        Assert.Empty(errors);
        Assert.Equal(100u, config.SendBatchSize);
        Assert.Equal(TimeSpan.FromSeconds(5), config.Timeout);
        Assert.Equal(200u, config.SendBatchMaxSize);
        Assert.Equal(["tenant", "region"], config.MetadataKeys);
        Assert.Equal(10u, config.MetadataCardinalityLimit);
    }

    [Fact]
    public void Rejects_MaxSizeBelowSendBatchSize()
    {
        var errors = Yaml.Load("processors::test", new BatchConfig(), "send_batch_size: 200\nsend_batch_max_size: 100");

        Assert.Equal(["processors::test: send_batch_max_size must be greater or equal to send_batch_size (send_batch_max_size is 100, send_batch_size is 200)."], errors);
    }

    [Fact]
    public void Rejects_NegativeTimeout()
    {
        var errors = Yaml.Load("processors::test", new BatchConfig(), "timeout: -1s");

        Assert.Equal(["processors::test: timeout must be greater or equal to 0 (got -1s)."], errors);
    }

    [Fact]
    public void Rejects_DuplicateMetadataKeysIgnoringCase()
    {
        var errors = Yaml.Load("processors::test", new BatchConfig(), "metadata_keys: [Tenant, tenant]");

        Assert.Equal(["processors::test: duplicate entry in metadata_keys: \"tenant\" (case-insensitive)."], errors);
    }

    [Fact]
    public void Rejects_UnknownKeyAndNegativeSize()
    {
        var errors = Yaml.Load("processors::test", new BatchConfig(), "send_batch_size: -1\nsend_batch_sise: 5");

        Assert.Equal(
            ["processors::test::send_batch_size: -1 is out of range: must be between 0 and 4294967295.", "processors::test: has invalid keys: send_batch_sise."],
            errors);
    }
}
