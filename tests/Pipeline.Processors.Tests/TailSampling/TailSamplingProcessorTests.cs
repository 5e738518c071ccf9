using Microsoft.Extensions.Time.Testing;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Abstractions;
using Pipeline.Processors.TailSampling;
using Pipeline.Telemetry;
using Pipeline.Testing;
using Xunit;
using static Pipeline.Processors.Tests.TailSampling.TraceBuilder;

namespace Pipeline.Processors.Tests.TailSampling;

public sealed class TailSamplingProcessorTests : IDisposable
{
    private const string Id = "tail_sampling/t";

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch.AddSeconds(1000));
    private readonly SinkConsumer<Traces> _sink = new();
    private ComponentSettings? _settings;
    private MetricRecorder? _metrics;

    public void Dispose()
    {
        _metrics?.Dispose();
        _settings?.Meter.Dispose();
    }

    [Fact]
    public async Task ConsumeAsync_SpansInSeveralBatches_DecidedTogetherAfterDecisionWait()
    {
        var processor = await StartAsync("""
            decision_wait: 5s
            policies: [{name: all, type: always_sample}]
            """);

        await processor.ConsumeAsync(Request(Span(1, "a")), default);
        Tick(2);
        await processor.ConsumeAsync(Request(Span(1, "b"), Span(2, "x")), default);
        Tick(2);
        int beforeWait = _sink.Batches.Count;
        Tick(1);
        var afterTrace1 = Names(_sink.Batches);
        Tick(2);

        Assert.Equal(0, beforeWait);
        Assert.Equal(["a,b"], afterTrace1);
        Assert.Equal(["a,b", "x"], Names(_sink.Batches));
    }

    [Fact]
    public async Task Tick_SampledTracesOfOneTick_SentAsOneBatch_NotSampledDropped()
    {
        var processor = await StartAsync("""
            decision_wait: 2s
            policies: [{name: errors, type: status_code, status_code: {status_codes: [ERROR]}}]
            """);

        await processor.ConsumeAsync(Request(Span(1, "a", code: Status.Types.StatusCode.Error), Span(2, "b"), Span(3, "c"), Span(3, "d", code: Status.Types.StatusCode.Error)), default);
        Tick(2);

        Assert.Equal(["a,c,d"], Names(_sink.Batches));
        Assert.Equal(1, _metrics!.Values("otelcol_processor_tail_sampling_global_count_traces_sampled").Count(v => v == 2));
        Assert.Equal(3, _metrics.Sum("otelcol_processor_tail_sampling_count_traces_sampled"));
        Assert.Equal(3, _metrics.Sum("otelcol_processor_tail_sampling_new_trace_id_received"));
        Assert.Equal(3, _metrics.Sum("otelcol_processor_outgoing_items"));
    }

    [Fact]
    public async Task ConsumeAsync_LateSpans_FollowDecisionHeldInTraceTable()
    {
        var processor = await StartAsync("""
            decision_wait: 1s
            policies: [{name: errors, type: status_code, status_code: {status_codes: [ERROR]}}]
            """);
        await processor.ConsumeAsync(Request(Span(1, "a", code: Status.Types.StatusCode.Error), Span(2, "b")), default);
        Tick(1);

        await processor.ConsumeAsync(Request(Span(1, "late-a"), Span(2, "late-b")), default);

        Assert.Equal(["a", "late-a"], Names(_sink.Batches));
        Assert.Equal(2, processor.TracesInMemory);
    }

    [Fact]
    public async Task ConsumeAsync_LateSpans_FollowCachedDecision()
    {
        var processor = await StartAsync("""
            decision_wait: 1s
            decision_cache: {sampled_cache_size: 10, non_sampled_cache_size: 10}
            policies: [{name: errors, type: status_code, status_code: {status_codes: [ERROR]}}]
            """);
        await processor.ConsumeAsync(Request(Span(1, "a", code: Status.Types.StatusCode.Error), Span(2, "b")), default);
        Tick(1);
        int held = processor.TracesInMemory;

        await processor.ConsumeAsync(Request(Span(1, "late-a"), Span(2, "late-b"), Span(2, "late-b2")), default);

        Assert.Equal(0, held);
        Assert.Equal(["a", "late-a"], Names(_sink.Batches));
        Assert.Equal(3, _metrics!.Sum("otelcol_processor_tail_sampling_early_releases_from_cache_decision"));
    }

    [Fact]
    public async Task ConsumeAsync_NumTracesFull_OldestDroppedEarlyAndCounted()
    {
        var processor = await StartAsync("""
            decision_wait: 10s
            num_traces: 2
            policies: [{name: all, type: always_sample}]
            """);

        await processor.ConsumeAsync(Request(Span(1, "a")), default);
        await processor.ConsumeAsync(Request(Span(2, "b")), default);
        await processor.ConsumeAsync(Request(Span(3, "c")), default);
        Tick(10);

        Assert.Equal(["b,c"], Names(_sink.Batches));
        Assert.Equal(1, _metrics!.Sum("otelcol_processor_tail_sampling_sampling_trace_dropped_too_early"));
    }

    [Fact]
    public async Task Decide_DropPolicy_OverridesSample()
    {
        var processor = await StartAsync("""
            decision_wait: 1s
            policies:
              - {name: all, type: always_sample}
              - name: no-health
                type: drop
                drop: {drop_sub_policy: [{name: health, type: string_attribute, string_attribute: {key: route, values: [/health]}}]}
            """);

        await processor.ConsumeAsync(Request(Span(1, "health").With("route", Str("/health")), Span(2, "orders").With("route", Str("/orders"))), default);
        Tick(1);

        Assert.Equal(["orders"], Names(_sink.Batches));
    }

    [Fact]
    public async Task Decide_InvertNotSampled_WinsOverSampled()
    {
        var processor = await StartAsync("""
            decision_wait: 1s
            policies:
              - {name: all, type: always_sample}
              - {name: not-health, type: string_attribute, string_attribute: {key: route, values: [/health], invert_match: true}}
            """);

        await processor.ConsumeAsync(Request(Span(1, "health").With("route", Str("/health")), Span(2, "orders").With("route", Str("/orders"))), default);
        Tick(1);

        Assert.Equal(["orders"], Names(_sink.Batches));
    }

    [Fact]
    public async Task Decide_SampleOnFirstMatch_SkipsLaterPolicies()
    {
        var processor = await StartAsync("""
            decision_wait: 1s
            sample_on_first_match: true
            policies:
              - {name: all, type: always_sample}
              - {name: later, type: span_count, span_count: {min_spans: 1}}
            """);

        await processor.ConsumeAsync(Request(Span(1, "a")), default);
        Tick(1);

        Assert.Equal(["a"], Names(_sink.Batches));
        Assert.Equal(1, _metrics!.Sum("otelcol_processor_tail_sampling_count_traces_sampled"));
    }

    [Fact]
    public async Task Decide_RateLimiting_LimitsSpansPerSecond()
    {
        var processor = await StartAsync("""
            decision_wait: 1s
            policies: [{name: rate, type: rate_limiting, rate_limiting: {spans_per_second: 3}}]
            """);

        await processor.ConsumeAsync(Request(Span(1, "a1"), Span(1, "a2"), Span(2, "b1"), Span(2, "b2"), Span(3, "c1")), default);
        Tick(1);

        Assert.Equal(["a1,a2,c1"], Names(_sink.Batches));
    }

    [Fact]
    public async Task ShutdownAsync_PendingTraces_DecidedAndSent()
    {
        var processor = await StartAsync("""
            policies: [{name: errors, type: status_code, status_code: {status_codes: [ERROR]}}]
            """);
        await processor.ConsumeAsync(Request(Span(1, "a", code: Status.Types.StatusCode.Error), Span(2, "b")), default);

        await processor.ShutdownAsync(CancellationToken.None);

        Assert.Equal(["a"], Names(_sink.Batches));
        Assert.Equal(0, processor.TracesInMemory);
    }

    [Fact]
    public async Task ShutdownAsync_DropPendingTracesOnShutdown_SendsNothing()
    {
        var processor = await StartAsync("""
            drop_pending_traces_on_shutdown: true
            policies: [{name: all, type: always_sample}]
            """);
        await processor.ConsumeAsync(Request(Span(1, "a")), default);

        await processor.ShutdownAsync(CancellationToken.None);

        Assert.Empty(_sink.Batches);
    }

    [Fact]
    public async Task ShutdownAsync_WithoutStart_Completes()
    {
        var processor = Create("policies: [{name: all, type: always_sample}]");

        await processor.ShutdownAsync(CancellationToken.None);

        Assert.Empty(_sink.Batches);
    }

    [Fact]
    public async Task ConsumeAsync_ReadOnlyInput_NotChanged()
    {
        var processor = await StartAsync("""
            decision_wait: 1s
            policies: [{name: all, type: always_sample}]
            """);
        var input = Request(Span(1, "a"), Span(2, "b"));
        byte[] before = input.ToByteArray();
        input.MarkReadOnly();

        await processor.ConsumeAsync(input, default);
        Tick(1);
        _sink.Batches[0].GetMutableRequest().ResourceSpans[0].ScopeSpans[0].Spans[0].Name = "changed";

        Assert.False(processor.Capabilities.MutatesData);
        Assert.Equal(before, input.ToByteArray());
    }

    [Fact]
    public async Task Factory_CreatesForTracesOnly()
    {
        var factory = new TailSamplingProcessorFactory();
        var config = factory.CreateDefaultConfig();
        Yaml.Load("processors::test", config, "policies: [{name: all, type: always_sample}]");
        var settings = TestSettings.For(ComponentKind.Processor, "tail_sampling");

        var traces = factory.CreateProcessor(settings, config, _sink);
        var error = Assert.Throws<NotSupportedException>(() => factory.CreateProcessor(settings, config, new SinkConsumer<Logs>()));

        await traces.ShutdownAsync(default);
        Assert.Equal("The tail_sampling processor does not support Logs.", error.Message);
        settings.Meter.Dispose();
    }

    private TailSamplingProcessor Create(string yaml)
    {
        var config = new TailSamplingConfig();
        var errors = Yaml.Load("processors::test", config, yaml);
        Assert.Empty(errors);
        _settings = TestSettings.For(ComponentKind.Processor, Id, time: _time);
        _metrics = new MetricRecorder(_settings.Meter);
        return new TailSamplingProcessor(_settings, config, _sink);
    }

    private async Task<TailSamplingProcessor> StartAsync(string yaml)
    {
        var processor = Create(yaml);
        await processor.StartAsync(NopHost.Instance, default);
        return processor;
    }

    private void Tick(int seconds)
    {
        for (int i = 0; i < seconds; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
        }
    }
}
