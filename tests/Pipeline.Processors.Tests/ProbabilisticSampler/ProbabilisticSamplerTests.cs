using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Abstractions;
using Pipeline.Processors.ProbabilisticSampler;
using Pipeline.Telemetry;
using Pipeline.Testing;
using Xunit;

namespace Pipeline.Processors.Tests.ProbabilisticSampler;

/// <summary>
/// Expected values come from an independent Python re-implementation of otelcol's hash_seed algorithm
/// (fnvhasher.go + sampler_mode.go): FNV-1a 32 over the seed's 4 little-endian bytes then the trace ID, masked with
/// 0x3fff, kept when below uint32(float32(pct) * float32(163.84)); written for these tests, run once, results pasted.
/// </summary>
public sealed class ProbabilisticSamplerTests
{
    private static readonly byte[] TraceId1To16 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];

    [Theory]
    [InlineData(new byte[0], 0u, 0x4b95f515u)]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 }, 0u, 0xdf241a25u)]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 }, 22u, 0xd863b443u)]
    [InlineData(new byte[] { 0x61, 0x62, 0x63 }, 0u, 0x09b9ad3bu)]
    public void ComputeHash_MatchesReferenceFnv1a(byte[] data, uint seed, uint expected)
    {
        uint hash = HashSeedSampling.ComputeHash(data, seed);

        Assert.Equal(expected, hash);
    }

    [Theory]
    [InlineData(10f, 1638u)]
    [InlineData(33.3f, 5455u)]
    [InlineData(50f, 8192u)]
    [InlineData(0.01f, 1u)]
    [InlineData(0.005f, 0u)]
    [InlineData(99.99f, 16382u)]
    [InlineData(100f, 16384u)]
    [InlineData(250f, 16384u)]
    public void ScaledSamplingRate_TruncatesFloat32Product(float percentage, uint expected)
    {
        uint scaled = HashSeedSampling.ScaledSamplingRate(percentage);

        Assert.Equal(expected, scaled);
    }

    [Theory]
    [InlineData(33.3f, 7u, 335)]
    [InlineData(10f, 0u, 110)]
    [InlineData(50f, 123456u, 526)]
    public async Task ConsumeAsync_ThousandTraceIds_KeepsExactlyTheReferenceCount(float percentage, uint seed, int expected)
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(sink, $"sampling_percentage: {percentage.ToString(System.Globalization.CultureInfo.InvariantCulture)}\nhash_seed: {seed}");
        var request = new ExportTraceServiceRequest();
        var ss = new ScopeSpans();
        for (int i = 0; i < 1000; i++)
        {
            byte[] id = SHA256.HashData(Encoding.ASCII.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)))[..16];
            ss.Spans.Add(new Span { TraceId = ByteString.CopyFrom(id), SpanId = ByteString.CopyFrom(new byte[8]) });
        }

        var rs = new ResourceSpans();
        rs.ScopeSpans.Add(ss);
        request.ResourceSpans.Add(rs);

        await processor.ConsumeAsync(Traces.FromEncoded(request.ToByteArray()), default);

        Assert.Equal(expected, sink.ItemCount);
    }

    [Fact]
    public async Task ConsumeAsync_KeptSpan_GetsRandomnessAndThresholdInTracestate()
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(sink, "sampling_percentage: 50");

        await processor.ConsumeAsync(Spans(Span(TraceId1To16, traceState: "vendor=x")), default);

        var span = Assert.Single(Kept(sink));
        Assert.Equal("ot=rv:976837c4f25a25;th:8,vendor=x", span.TraceState);
    }

    [Fact]
    public async Task ConsumeAsync_BucketAboveRate_DropsSpanAndSkipsEmptyBatch()
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(sink, "sampling_percentage: 40");

        await processor.ConsumeAsync(Spans(Span(TraceId1To16)), default);

        Assert.Empty(sink.Batches);
    }

    [Theory]
    [InlineData(0L, false)]
    [InlineData(1L, true)]
    [InlineData(-1L, true)]
    public async Task ConsumeAsync_SamplingPriorityInt_OverridesHash(long priority, bool kept)
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(sink, "sampling_percentage: 50");
        var span = Span(TraceId1To16);
        span.Attributes.Add(new KeyValue { Key = "sampling.priority", Value = new AnyValue { IntValue = priority } });

        await processor.ConsumeAsync(Spans(span), default);

        Assert.Equal(kept ? 1 : 0, sink.ItemCount);
    }

    [Fact]
    public async Task ConsumeAsync_PositivePriorityAtZeroPercent_KeepsSpan()
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(sink, "sampling_percentage: 0");
        var keep = Span(TraceId1To16);
        keep.Attributes.Add(new KeyValue { Key = "sampling.priority", Value = new AnyValue { StringValue = "2" } });

        await processor.ConsumeAsync(Spans(keep, Span(TraceId1To16)), default);

        var span = Assert.Single(Kept(sink));
        Assert.Equal("ot=th:0", span.TraceState);
    }

    [Theory]
    [InlineData(true, 0)]
    [InlineData(false, 1)]
    public async Task ConsumeAsync_ZeroTraceId_DecidedByFailClosed(bool failClosed, int expected)
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(sink, $"sampling_percentage: 100\nfail_closed: {(failClosed ? "true" : "false")}");

        await processor.ConsumeAsync(Spans(Span(new byte[16])), default);

        Assert.Equal(expected, sink.ItemCount);
    }

    [Fact]
    public async Task ConsumeAsync_ArrivingThresholdInTracestate_FailsClosed()
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(sink, "sampling_percentage: 100");

        await processor.ConsumeAsync(Spans(Span(TraceId1To16, traceState: "ot=th:8")), default);

        Assert.Empty(sink.Batches);
    }

    [Fact]
    public async Task ConsumeAsync_LogsByTraceId_UsesSameHashAndWritesAttributes()
    {
        var sink = new SinkConsumer<Logs>();
        var processor = Create(sink, "sampling_percentage: 50");

        await processor.ConsumeAsync(LogsOf(Record(TraceId1To16)), default);

        var record = Assert.Single(KeptLogs(sink));
        Assert.Equal("976837c4f25a25", Attr(record, "sampling.randomness"));
        Assert.Equal("8", Attr(record, "sampling.threshold"));
    }

    [Fact]
    public async Task ConsumeAsync_LogsByRecordAttribute_HashesTheAttributeAndFailsClosedWithoutIt()
    {
        var sink = new SinkConsumer<Logs>();
        var processor = Create(sink, "sampling_percentage: 50\nattribute_source: record\nfrom_attribute: id");
        var withId = Record([]);
        withId.Attributes.Add(new KeyValue { Key = "id", Value = new AnyValue { StringValue = "abc" } });

        await processor.ConsumeAsync(LogsOf(withId, Record([])), default);

        // FNV-1a("\0\0\0\0abc") = 0x09b9ad3b, bucket 0x2d3b = 11579 >= 8192: dropped. The record without the attribute
        // has no randomness and fail_closed drops it too.
        Assert.Empty(sink.Batches);
    }

    [Fact]
    public async Task ConsumeAsync_LogsPriorityDouble_RaisesProbability()
    {
        var sink = new SinkConsumer<Logs>();
        var processor = Create(sink, "sampling_percentage: 40\nsampling_priority: prio");
        var record = Record(TraceId1To16);
        record.Attributes.Add(new KeyValue { Key = "prio", Value = new AnyValue { DoubleValue = 100 } });

        await processor.ConsumeAsync(LogsOf(record), default);

        var kept = Assert.Single(KeptLogs(sink));
        Assert.Equal("0", Attr(kept, "sampling.threshold"));
    }

    [Theory]
    [InlineData("proportional", "", "ot=th:8")]
    [InlineData("proportional", "ot=th:8", "ot=th:c")]
    [InlineData("equalizing", "ot=th:c", "ot=th:c")]
    [InlineData("equalizing", "ot=th:4", "ot=th:8")]
    public async Task ConsumeAsync_ConsistentModes_WriteOtep235Threshold(string mode, string arriving, string expected)
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(sink, $"sampling_percentage: 50\nmode: {mode}");
        byte[] id = [1, 2, 3, 4, 5, 6, 7, 8, 9, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

        await processor.ConsumeAsync(Spans(Span(id, traceState: arriving)), default);

        Assert.Equal(expected, Assert.Single(Kept(sink)).TraceState);
    }

    [Fact]
    public async Task ConsumeAsync_ProportionalRandomnessBelowThreshold_DropsSpan()
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(sink, "sampling_percentage: 50\nmode: proportional");

        // Randomness = the trace ID's last 7 bytes, 0x0a0b0c0d0e0f10, below the 50% threshold 0x80000000000000.
        await processor.ConsumeAsync(Spans(Span(TraceId1To16)), default);

        Assert.Empty(sink.Batches);
    }

    [Fact]
    public async Task ConsumeAsync_ArrivingThresholdInconsistentWithRandomness_FailsClosed()
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(sink, "sampling_percentage: 100\nmode: equalizing");

        await processor.ConsumeAsync(Spans(Span(TraceId1To16, traceState: "ot=th:c")), default);

        Assert.Empty(sink.Batches);
    }

    [Fact]
    public void Capabilities_MutatesAndSupportsTracesAndLogsOnly()
    {
        var factory = new ProbabilisticSamplerProcessorFactory();

        var processor = factory.CreateProcessor(TestSettings.For(ComponentKind.Processor, "probabilistic_sampler"), factory.CreateDefaultConfig(), new SinkConsumer<Logs>());

        Assert.True(processor.Capabilities.MutatesData);
        Assert.Equal([Signal.Traces, Signal.Logs], factory.Stability.Keys);
    }

    [Fact]
    public void CreateDefaultConfig_HasOtelcolDefaults()
    {
        var config = (ProbabilisticSamplerConfig)new ProbabilisticSamplerProcessorFactory().CreateDefaultConfig();

        Assert.Equal(0f, config.SamplingPercentage);
        Assert.Equal(0u, config.HashSeed);
        Assert.True(config.FailClosed);
        Assert.Equal(4, config.SamplingPrecision);
        Assert.Equal("traceID", config.AttributeSource);
    }

    [Theory]
    [InlineData("sampling_percentage: -1", "processors::test: sampling rate is negative: -1.000000%.")]
    [InlineData("sampling_percentage: 1e-16", "processors::test: sampling rate is too small: 1e-16%.")]
    [InlineData("attribute_source: span", "processors::test: invalid attribute source: span. Expected: traceID or record.")]
    [InlineData("sampling_precision: 0", "processors::test: invalid sampling precision: 0.")]
    [InlineData("sampling_precision: 15", "processors::test: sampling precision is too great, should be <= 14: 15.")]
    [InlineData("mode: fast", "processors::test::mode: unsupported sampler mode \"fast\".")]
    public void Rejects_InvalidConfig(string yaml, string expected)
    {
        var errors = Yaml.Load("processors::test", new ProbabilisticSamplerConfig(), yaml);

        Assert.Equal([expected], errors);
    }

    // T-values published in the OpenTelemetry specification's tracestate probability sampling examples
    // (10% -> e666, 1/3 -> aaab, 0.1% -> ffbe77).
    [Theory]
    [InlineData(0.5, 4, "8")]
    [InlineData(0.1, 4, "e666")]
    [InlineData(1.0 / 3, 4, "aaab")]
    [InlineData(0.001, 4, "ffbe77")]
    public void TryProbabilityToThreshold_MatchesOtelcolTValues(double probability, int precision, string expected)
    {
        Assert.True(HashSeedSampling.TryProbabilityToThreshold(probability, precision, out ulong threshold));

        Assert.Equal(expected, HashSeedSampling.TValue(threshold));
    }

    private static IProcessor<T> Create<T>(IConsumer<T> next, string yaml)
        where T : TelemetryData
    {
        var factory = new ProbabilisticSamplerProcessorFactory();
        var config = factory.CreateDefaultConfig();
        Assert.Empty(Yaml.Load("processors::test", config, yaml));
        return factory.CreateProcessor(TestSettings.For(ComponentKind.Processor, "probabilistic_sampler"), config, next);
    }

    private static Span Span(byte[] traceId, string traceState = "") =>
        new() { TraceId = ByteString.CopyFrom(traceId), SpanId = ByteString.CopyFrom(new byte[8]), TraceState = traceState, Name = "s" };

    private static Traces Spans(params Span[] spans)
    {
        var ss = new ScopeSpans();
        ss.Spans.Add(spans);
        var rs = new ResourceSpans();
        rs.ScopeSpans.Add(ss);
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(rs);
        return Traces.FromEncoded(request.ToByteArray());
    }

    private static LogRecord Record(byte[] traceId) => new() { TraceId = ByteString.CopyFrom(traceId), Body = new AnyValue { StringValue = "b" } };

    private static Logs LogsOf(params LogRecord[] records)
    {
        var sl = new ScopeLogs();
        sl.LogRecords.Add(records);
        var rl = new ResourceLogs();
        rl.ScopeLogs.Add(sl);
        var request = new ExportLogsServiceRequest();
        request.ResourceLogs.Add(rl);
        return Logs.FromEncoded(request.ToByteArray());
    }

    private static List<Span> Kept(SinkConsumer<Traces> sink)
    {
        var result = new List<Span>();
        foreach (var batch in sink.Batches)
        {
            foreach (var rs in batch.Request.ResourceSpans)
            {
                foreach (var ss in rs.ScopeSpans)
                {
                    result.AddRange(ss.Spans);
                }
            }
        }

        return result;
    }

    private static List<LogRecord> KeptLogs(SinkConsumer<Logs> sink)
    {
        var result = new List<LogRecord>();
        foreach (var batch in sink.Batches)
        {
            foreach (var rl in batch.Request.ResourceLogs)
            {
                foreach (var sl in rl.ScopeLogs)
                {
                    result.AddRange(sl.LogRecords);
                }
            }
        }

        return result;
    }

    private static string? Attr(LogRecord record, string key)
    {
        foreach (var kv in record.Attributes)
        {
            if (kv.Key == key)
            {
                return kv.Value.StringValue;
            }
        }

        return null;
    }
}
