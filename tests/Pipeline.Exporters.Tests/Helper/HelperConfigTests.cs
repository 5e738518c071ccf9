using Pipeline.Exporters.Helper;
using Pipeline.Exporters.OtlpGrpc;
using Pipeline.Testing;
using Xunit;

namespace Pipeline.Exporters.Tests.Helper;

public sealed class HelperConfigTests
{
    private const string Path = "exporters::otlp_grpc";

    [Fact]
    public void CreateDefaultConfig_RetryQueueTimeout_HaveOtelcolDefaults()
    {
        var config = (OtlpGrpcConfig)new OtlpGrpcFactory().CreateDefaultConfig();

        Assert.Equal(TimeSpan.FromSeconds(5), config.Timeout.Timeout);
        Assert.True(config.Retry.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(5), config.Retry.InitialInterval);
        Assert.Equal(TimeSpan.FromSeconds(30), config.Retry.MaxInterval);
        Assert.Equal(TimeSpan.FromSeconds(300), config.Retry.MaxElapsedTime);
        Assert.Equal(1.5, config.Retry.Multiplier);
        Assert.Equal(0.5, config.Retry.RandomizationFactor);
        Assert.True(config.Queue.Enabled);
        Assert.Equal(10, config.Queue.NumConsumers);
        Assert.Equal(1000, config.Queue.QueueSize);
        Assert.Equal(QueueSizer.Requests, config.Queue.Sizer);
        Assert.False(config.Queue.BlockOnOverflow);
        Assert.False(config.Queue.WaitForResult);
        Assert.Null(config.Queue.Storage);
        Assert.Null(config.Queue.Batch);
    }

    [Fact]
    public void Accepts_FullRetryAndQueueSections()
    {
        var config = new OtlpGrpcConfig();

        var errors = Yaml.Load(Path, config, """
            endpoint: collector:4317
            timeout: 10s
            retry_on_failure:
              enabled: true
              initial_interval: 1s
              max_interval: 10s
              max_elapsed_time: 0
              multiplier: 2
              randomization_factor: 0.1
            sending_queue:
              enabled: true
              num_consumers: 4
              queue_size: 5000
              sizer: items
              block_on_overflow: true
              batch:
                flush_timeout: 1s
                min_size: 100
                max_size: 1000
                sizer: items
            """);

        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromSeconds(10), config.Timeout.Timeout);
        Assert.Equal(TimeSpan.Zero, config.Retry.MaxElapsedTime);
        Assert.Equal(2, config.Retry.Multiplier);
        Assert.Equal(QueueSizer.Items, config.Queue.Sizer);
        Assert.Equal(4, config.Queue.NumConsumers);
        Assert.True(config.Queue.BlockOnOverflow);
        Assert.Equal(1000, config.Queue.Batch!.MaxSize);
    }

    [Fact]
    public void Accepts_EmptyBatchWithDefaults()
    {
        var config = new OtlpGrpcConfig();

        var errors = Yaml.Load(Path, config, "endpoint: collector:4317\nsending_queue:\n  sizer: items\n  queue_size: 10000\n  batch: {}\n");

        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromMilliseconds(200), config.Queue.Batch!.FlushTimeout);
        Assert.Equal(8192, config.Queue.Batch.MinSize);
        Assert.Equal(0, config.Queue.Batch.MaxSize);
        Assert.Equal(QueueSizer.Items, config.Queue.Batch.Sizer);
    }

    [Theory]
    [InlineData("sending_queue:\n  num_consumers: 0", "exporters::otlp_grpc::sending_queue: `num_consumers` must be positive.")]
    [InlineData("sending_queue:\n  queue_size: 0", "exporters::otlp_grpc::sending_queue: `queue_size` must be positive.")]
    [InlineData("sending_queue:\n  storage: file_storage\n  wait_for_result: true", "exporters::otlp_grpc::sending_queue: `wait_for_result` is not supported with a persistent queue configured with `storage`.")]
    [InlineData("sending_queue:\n  sizer: items\n  queue_size: 100\n  batch:\n    min_size: 200", "exporters::otlp_grpc::sending_queue::batch: `min_size` must be less than or equal to `queue_size`.")]
    [InlineData("sending_queue:\n  batch:\n    sizer: requests", "exporters::otlp_grpc::sending_queue::batch: `batch` supports only `items` or `bytes` sizer.")]
    [InlineData("sending_queue:\n  batch:\n    min_size: 10\n    max_size: 5", "exporters::otlp_grpc::sending_queue::batch: `max_size` (5) must be greater or equal to `min_size` (10).")]
    [InlineData("sending_queue:\n  sizer: pages", "exporters::otlp_grpc::sending_queue::sizer: unsupported value \"pages\": must be one of requests, items, bytes.")]
    [InlineData("retry_on_failure:\n  randomization_factor: 1.5", "exporters::otlp_grpc::retry_on_failure: 'randomization_factor' must be within [0, 1].")]
    [InlineData("retry_on_failure:\n  multiplier: 0", "exporters::otlp_grpc::retry_on_failure: 'multiplier' must be positive.")]
    [InlineData("retry_on_failure:\n  initial_interval: -1s", "exporters::otlp_grpc::retry_on_failure: 'initial_interval' must be non-negative.")]
    [InlineData("retry_on_failure:\n  max_elapsed_time: 10s", "exporters::otlp_grpc::retry_on_failure: 'max_elapsed_time' must not be less than 'max_interval'.")]
    [InlineData("retry_on_failure:\n  retries: 3", "exporters::otlp_grpc::retry_on_failure: has invalid keys: retries.")]
    [InlineData("sending_queue:\n  queue_sise: 3", "exporters::otlp_grpc::sending_queue: has invalid keys: queue_sise.")]
    public void Rejects_InvalidRetryOrQueue(string yaml, string expected)
    {
        var errors = Yaml.Load(Path, new OtlpGrpcConfig(), "endpoint: collector:4317\n" + yaml);

        Assert.Equal([expected], errors);
    }

    [Fact]
    public void Accepts_InvalidRetryValuesWhenRetryDisabled()
    {
        var errors = Yaml.Load(Path, new OtlpGrpcConfig(), "endpoint: collector:4317\nretry_on_failure:\n  enabled: false\n  multiplier: 0\nsending_queue:\n  enabled: false\n  queue_size: 0");

        Assert.Empty(errors);
    }
}
