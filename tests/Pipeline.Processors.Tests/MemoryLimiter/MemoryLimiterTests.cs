using Xunit;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Abstractions;
using Pipeline.Abstractions.Configuration;
using Pipeline.Processors.MemoryLimiter;
using Pipeline.Telemetry;
using Pipeline.Testing;

namespace Pipeline.Processors.Tests.MemoryLimiter;

public class MemoryLimiterTests
{
    private const long Mib = 1024 * 1024;

    private static Traces OneSpan()
    {
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(new ResourceSpans { ScopeSpans = { new ScopeSpans { Spans = { new Span { Name = "s" } } } } });
        return Traces.FromRequest(request);
    }

    private static (IProcessor<Traces> Processor, SinkConsumer<Traces> Sink, FakeTimeProvider Time) Create(Func<long> measure, MemoryLimiterConfig config, Action? onCollect = null)
    {
        var time = new FakeTimeProvider();
        var factory = new MemoryLimiterFactory(measure, availableBytes: 1024 * Mib);
        var sink = new SinkConsumer<Traces>();
        var processor = factory.CreateProcessor(TestSettings.For(ComponentKind.Processor, "memory_limiter", time: time), config, sink);
        return (processor, sink, time);
    }

    [Fact]
    public async Task ConsumeAsync_BelowSoftLimit_PassesData()
    {
        var (processor, sink, _) = Create(() => 10 * Mib, new MemoryLimiterConfig { CheckInterval = TimeSpan.FromSeconds(1), LimitMib = 100 });
        await processor.StartAsync(NopHost.Instance, default);

        await processor.ConsumeAsync(OneSpan(), default);

        Assert.Equal(1, sink.ItemCount);
        await processor.ShutdownAsync(default);
    }

    [Fact]
    public async Task ConsumeAsync_AboveSoftLimit_RefusesWithRetryableUnavailable()
    {
        long used = 10 * Mib;
        var (processor, sink, time) = Create(() => used, new MemoryLimiterConfig { CheckInterval = TimeSpan.FromSeconds(1), LimitMib = 100, SpikeLimitMib = 20 });
        await processor.StartAsync(NopHost.Instance, default);

        used = 85 * Mib; // soft limit is 100 - 20 = 80 MiB
        time.Advance(TimeSpan.FromSeconds(1));
        var error = await Assert.ThrowsAsync<ConsumerException>(() => processor.ConsumeAsync(OneSpan(), default).AsTask());

        Assert.Equal(StatusCode.Unavailable, error.Code);
        Assert.Equal("data refused due to high memory usage", error.Message);
        Assert.Equal(0, sink.ItemCount);
        await processor.ShutdownAsync(default);
    }

    [Fact]
    public async Task ConsumeAsync_MemoryDropsAgain_AcceptsAgain()
    {
        long used = 90 * Mib;
        var (processor, sink, time) = Create(() => used, new MemoryLimiterConfig { CheckInterval = TimeSpan.FromSeconds(1), LimitMib = 100, SpikeLimitMib = 20 });
        await processor.StartAsync(NopHost.Instance, default);
        await Assert.ThrowsAsync<ConsumerException>(() => processor.ConsumeAsync(OneSpan(), default).AsTask());

        used = 50 * Mib;
        time.Advance(TimeSpan.FromSeconds(1));
        await processor.ConsumeAsync(OneSpan(), default);

        Assert.Equal(1, sink.ItemCount);
        await processor.ShutdownAsync(default);
    }

    [Fact]
    public void Check_AboveHardLimit_ForcesGcAndStopsRefusingWhenItFreedEnough()
    {
        long used = 120 * Mib;
        int collections = 0;
        var config = new MemoryLimiterConfig { CheckInterval = TimeSpan.FromSeconds(1), LimitMib = 100, SpikeLimitMib = 20 };
        var limiter = new Pipeline.Processors.MemoryLimiter.MemoryLimiter(config, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, new FakeTimeProvider(), 0, () => used, () => { collections++; used = 30 * Mib; });

        limiter.Check();

        Assert.Equal(1, collections);
        Assert.False(limiter.Refusing);
    }

    [Fact]
    public void Check_AboveSoftLimit_GcNoMoreOftenThanMinInterval()
    {
        var time = new FakeTimeProvider();
        int collections = 0;
        var config = new MemoryLimiterConfig { CheckInterval = TimeSpan.FromSeconds(1), LimitMib = 100, SpikeLimitMib = 20 };
        var limiter = new Pipeline.Processors.MemoryLimiter.MemoryLimiter(config, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, time, 0, () => 85 * Mib, () => collections++);

        limiter.Check();
        time.Advance(TimeSpan.FromSeconds(5));
        limiter.Check();
        time.Advance(TimeSpan.FromSeconds(5));
        limiter.Check();

        Assert.Equal(2, collections); // at 0 s and at 10 s: min_gc_interval_when_soft_limited is 10 s
        Assert.True(limiter.Refusing);
    }

    [Fact]
    public void LimitsInBytes_PercentageOfAvailable_DefaultSpikeIsFifthOfLimit()
    {
        var config = new MemoryLimiterConfig { CheckInterval = TimeSpan.FromSeconds(1), LimitPercentage = 50 };

        var (hard, soft) = config.LimitsInBytes(1000 * Mib);

        Assert.Equal(500 * Mib, hard);
        Assert.Equal(400 * Mib, soft);
    }

    [Theory]
    [InlineData(0, 100, 0, 0, "processors::memory_limiter::check_interval: 'check_interval' must be greater than zero.")]
    [InlineData(1, 0, 0, 0, "processors::memory_limiter: 'limit_mib' or 'limit_percentage' must be greater than zero.")]
    [InlineData(1, 100, 100, 0, "processors::memory_limiter::spike_limit_mib: 'spike_limit_mib' (100) must be smaller than 'limit_mib' (100).")]
    [InlineData(1, 0, 0, 120, "processors::memory_limiter::limit_percentage: 'limit_percentage' and 'spike_limit_percentage' must be between 0 and 100.")]
    public void Validate_BadValues_ReportsOtelcolMessage(int checkSeconds, long limitMib, long spikeMib, long limitPercentage, string expected)
    {
        var config = new MemoryLimiterConfig { CheckInterval = TimeSpan.FromSeconds(checkSeconds), LimitMib = limitMib, SpikeLimitMib = spikeMib, LimitPercentage = limitPercentage };
        var errors = new ConfigErrorList();

        config.Validate(new ValidationErrors(errors, "processors::memory_limiter"));

        Assert.Equal(expected, Assert.Single(errors.Errors).ToString());
    }
}
