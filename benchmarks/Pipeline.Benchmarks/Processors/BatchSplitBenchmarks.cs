using BenchmarkDotNet.Attributes;
using OpenTelemetry.Proto.Collector.Trace.V1;
using Pipeline.Processors.Batch;

namespace Pipeline.Benchmarks.Processors;

/// <summary>
/// The batch processor's split (<c>send_batch_max_size</c>): a merged batch of 8,000 spans (80 requests of 100 spans,
/// one resource each) cut into batches of <see cref="MaxSize"/>. Splitting consumes its source, so every invocation
/// works on a fresh deep copy; the baseline is that copy alone and the split's own cost is the difference.
/// </summary>
[MemoryDiagnoser]
public class BatchSplitBenchmarks
{
    private ExportTraceServiceRequest _merged = new();

    /// <summary>send_batch_max_size.</summary>
    [Params(1000, 8192)]
    public int MaxSize { get; set; }

    /// <summary>Builds the merged batch once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _merged = new ExportTraceServiceRequest();
        for (int i = 0; i < 80; i++)
        {
            _merged.ResourceSpans.Add(Payloads.Traces(100, seed: i).ResourceSpans);
        }
    }

    /// <summary>The deep copy every split run starts from.</summary>
    [Benchmark(Baseline = true)]
    public int CopyOnly() => _merged.Clone().ResourceSpans.Count;

    /// <summary>Copy, then split into batches of at most <see cref="MaxSize"/> spans.</summary>
    [Benchmark]
    public int CopyAndSplit()
    {
        var source = _merged.Clone();
        int batches = 0;
        while (source.ResourceSpans.Count > 0)
        {
            ItemSplitter.SplitTraces(source, MaxSize);
            batches++;
        }

        return batches;
    }
}
