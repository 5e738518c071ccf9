using System.Buffers;
using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;
using Pipeline.Telemetry;
using Pipeline.Telemetry.Otlp.Json;

namespace Pipeline.Benchmarks.Otlp;

/// <summary>
/// What an exporter pays per request to put decoded spans on the wire: Google.Protobuf's encode (baseline) against
/// OTLP/JSON (file exporter's default, otlp_http with encoding json), into a reused buffer as the exporters do.
/// </summary>
[MemoryDiagnoser]
public class OtlpEncodeBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(1 << 20);
    private ExportTraceServiceRequest _request = new();
    private Traces _traces = Traces.FromRequest(new ExportTraceServiceRequest());

    /// <summary>Spans per request.</summary>
    [Params(10, 100)]
    public int Spans { get; set; }

    /// <summary>Builds the decoded request once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _request = Payloads.Traces(Spans);
        _traces = Traces.FromRequest(_request);
    }

    /// <summary>Protobuf encode of the decoded request.</summary>
    [Benchmark(Baseline = true)]
    public int ProtobufEncode()
    {
        _output.ResetWrittenCount();
        _request.WriteTo(_output);
        return _output.WrittenCount;
    }

    /// <summary>OTLP/JSON encode of the same request.</summary>
    [Benchmark]
    public int JsonEncode()
    {
        _output.ResetWrittenCount();
        OtlpJson.Write(_traces, _output);
        return _output.WrittenCount;
    }
}
