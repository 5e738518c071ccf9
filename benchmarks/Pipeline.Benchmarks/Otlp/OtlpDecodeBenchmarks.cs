using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;
using Pipeline.Telemetry;
using Pipeline.Telemetry.Otlp.Json;

namespace Pipeline.Benchmarks.Otlp;

/// <summary>
/// What a receiver pays per request before handing data on: a full Google.Protobuf decode (baseline), our
/// pass-through framing walk (what the OTLP receiver does), and the OTLP/JSON decode.
/// </summary>
[MemoryDiagnoser]
public class OtlpDecodeBenchmarks
{
    private byte[] _protobuf = [];
    private byte[] _json = [];

    /// <summary>Spans per request.</summary>
    [Params(10, 100)]
    public int Spans { get; set; }

    /// <summary>Builds the request once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var request = Payloads.Traces(Spans);
        _protobuf = request.ToByteArray();
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        OtlpJson.Write(Traces.FromRequest(request), buffer);
        _json = buffer.WrittenSpan.ToArray();
    }

    /// <summary>Decoding everything into Google.Protobuf objects.</summary>
    [Benchmark(Baseline = true)]
    public int ProtobufFullDecode() => ExportTraceServiceRequest.Parser.ParseFrom(_protobuf).ResourceSpans.Count;

    /// <summary>The receiver's path: validate framing and count spans, keep the bytes.</summary>
    [Benchmark]
    public int ProtobufPassThrough() => Traces.FromEncoded(_protobuf).ItemCount;

    /// <summary>OTLP/JSON straight into the protobuf model.</summary>
    [Benchmark]
    public int JsonDecode() => OtlpJson.ParseTraces(_json).ResourceSpans.Count;
}
