using BenchmarkDotNet.Attributes;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Processors.ProbabilisticSampler;

namespace Pipeline.Benchmarks.Processors;

/// <summary>
/// probabilistic_sampler's hash_seed mode per span: FNV-1a over the seed and the 16-byte trace ID (baseline), and the
/// whole keep/drop decision as the processor makes it (56-bit randomness from the hash, compared with the threshold).
/// </summary>
[MemoryDiagnoser]
public class SamplerHashBenchmarks
{
    private Span[] _spans = [];
    private ulong _threshold;

    /// <summary>Builds 1,000 spans with random trace IDs once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var list = new List<Span>();
        for (int i = 0; i < 10; i++)
        {
            list.AddRange(Payloads.Traces(100, seed: i).ResourceSpans[0].ScopeSpans[0].Spans);
        }

        _spans = list.ToArray();
        _threshold = HashSeedSampling.Threshold(HashSeedSampling.ScaledSamplingRate(25f));
    }

    /// <summary>FNV-1a of seed + trace ID, for 1,000 spans.</summary>
    [Benchmark(Baseline = true)]
    public uint Hash()
    {
        uint acc = 0;
        foreach (var span in _spans)
        {
            acc ^= HashSeedSampling.ComputeHash(span.TraceId.Span, 22);
        }

        return acc;
    }

    /// <summary>The keep/drop decision for 1,000 spans at 25 %.</summary>
    [Benchmark]
    public int Decide()
    {
        int kept = 0;
        foreach (var span in _spans)
        {
            if (_threshold <= HashSeedSampling.RandomnessFromBytes(span.TraceId.Span, 22))
            {
                kept++;
            }
        }

        return kept;
    }
}
