using System.Buffers;
using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;
using Pipeline.Telemetry;

namespace Pipeline.Benchmarks.Otlp;

/// <summary>
/// Batching N received requests into one export body: merging decoded requests and re-encoding (baseline, what a
/// decode-everything collector does) against joining the encoded bytes (what our batch processor does).
/// </summary>
[MemoryDiagnoser]
public class BatchBenchmarks
{
    private byte[][] _bodies = [];
    private readonly ArrayBufferWriter<byte> _output = new(1 << 20);

    /// <summary>Requests of 100 spans merged into one batch.</summary>
    [Params(10, 80)]
    public int Requests { get; set; }

    /// <summary>Builds the requests once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _bodies = new byte[Requests][];
        for (int i = 0; i < Requests; i++)
        {
            _bodies[i] = Payloads.Traces(100, seed: i).ToByteArray();
        }
    }

    /// <summary>Decode each request, merge, encode.</summary>
    [Benchmark(Baseline = true)]
    public long DecodeMergeEncode()
    {
        var merged = new ExportTraceServiceRequest();
        foreach (var body in _bodies)
        {
            merged.ResourceSpans.Add(ExportTraceServiceRequest.Parser.ParseFrom(body).ResourceSpans);
        }

        _output.ResetWrittenCount();
        merged.WriteTo(_output);
        return _output.WrittenCount;
    }

    /// <summary>Wrap each request encoded, concatenate, write.</summary>
    [Benchmark]
    public long ConcatEncoded()
    {
        var parts = new Traces[_bodies.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            parts[i] = Traces.FromEncoded(_bodies[i]);
        }

        var batch = Traces.Concat(parts);
        _output.ResetWrittenCount();
        batch.WriteTo(_output);
        return _output.WrittenCount;
    }
}
