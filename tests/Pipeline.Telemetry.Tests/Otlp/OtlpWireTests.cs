using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;
using Pipeline.Telemetry.Otlp;
using Xunit;

namespace Pipeline.Telemetry.Tests.Otlp;

public sealed class OtlpWireTests
{
    [Fact]
    public void CountItems_Traces_CountsSpans()
    {
        var bytes = SampleData.Traces().ToByteArray();

        int count = OtlpWire.CountItems(Signal.Traces, bytes);

        Assert.Equal(3, count);
    }

    [Fact]
    public void CountItems_Metrics_CountsDataPointsOfEveryType()
    {
        var request = SampleData.Metrics();

        int count = OtlpWire.CountItems(Signal.Metrics, request.ToByteArray());

        // gauge 4 + sum 3 + histogram 3 + exponential 2 + summary 1; the empty gauge and the metric without data add 0.
        Assert.Equal(13, count);
        Assert.Equal(Metrics.FromRequest(request).ItemCount, count);
    }

    [Fact]
    public void CountItems_Logs_CountsRecords()
    {
        var request = SampleData.Logs();

        int count = OtlpWire.CountItems(Signal.Logs, request.ToByteArray());

        Assert.Equal(request.ResourceLogs[0].ScopeLogs[0].LogRecords.Count, count);
    }

    [Fact]
    public void CountItems_Empty_IsZero()
    {
        int count = OtlpWire.CountItems(Signal.Traces, ReadOnlySpan<byte>.Empty);

        Assert.Equal(0, count);
    }

    [Fact]
    public void CountItems_EveryTruncation_ThrowsDecodeException()
    {
        var bytes = SampleData.Traces().ToByteArray();

        // Cutting anywhere inside a length-delimited field breaks the framing; a cut at a field boundary of the
        // top-level message is still well-formed, so count the throws and check there is one for most cut points.
        int throws = 0;
        for (int cut = 1; cut < bytes.Length; cut++)
        {
            try
            {
                OtlpWire.CountItems(Signal.Traces, bytes.AsSpan(0, cut));
            }
            catch (OtlpDecodeException)
            {
                throws++;
            }
        }

        // Only the boundary between the two ResourceSpans entries is a clean cut.
        Assert.Equal(bytes.Length - 2, throws);
    }

    [Theory]
    [InlineData(new byte[] { 0x0A, 0x05, 0x01 })]
    [InlineData(new byte[] { 0x0F })]
    [InlineData(new byte[] { 0x00 })]
    [InlineData(new byte[] { 0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })]
    [InlineData(new byte[] { 0x0A, 0x02, 0x12, 0x05 })]
    public void CountItems_Garbage_ThrowsDecodeException(byte[] body)
    {
        var ex = Assert.Throws<OtlpDecodeException>(() => OtlpWire.CountItems(Signal.Traces, body));

        Assert.StartsWith("proto: cannot parse invalid wire-format data: ", ex.Message);
    }

    [Fact]
    public void FromEncoded_Garbage_ThrowsDecodeException()
    {
        Assert.Throws<OtlpDecodeException>(() => Traces.FromEncoded(new byte[] { 0x0A, 0x05, 0x01 }));
    }

    [Fact]
    public void CountItems_UnknownFieldsAtEveryLevel_Skipped()
    {
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(SampleData.Traces().ResourceSpans[0]);
        var known = request.ToByteArray();

        // Field 99 varint, then field 98 fixed64, prepended to the top level.
        byte[] extra = [0x98, 0x06, 0x01, 0x91, 0x06, 1, 2, 3, 4, 5, 6, 7, 8];
        int count = OtlpWire.CountItems(Signal.Traces, [.. extra, .. known]);

        Assert.Equal(3, count);
    }

    [Theory]
    [InlineData(new byte[] { 0x0A, 0x80 }, "truncated varint")]
    [InlineData(new byte[] { 0x0A, 0x80, 0x01 }, "length 128 runs past the end of the message")]
    [InlineData(new byte[] { 0x0A, 0x80, 0x80, 0x01 }, "length 16384 runs past the end of the message")]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 }, "invalid field tag 34359738368")]
    [InlineData(new byte[] { 0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 }, "varint longer than 10 bytes")]
    public void CountItems_BadVarintOfOneTwoOrMoreBytes_ThrowsWithReason(byte[] body, string reason)
    {
        var ex = Assert.Throws<OtlpDecodeException>(() => OtlpWire.CountItems(Signal.Traces, body));

        Assert.Equal("proto: cannot parse invalid wire-format data: " + reason, ex.Message);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(16_383)]
    [InlineData(16_384)]
    [InlineData(3_000_000)]
    public void CountItems_SpanNameOfAnyLengthVarint_CountsSpans(int nameLength)
    {
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(SampleData.Traces().ResourceSpans[0]);
        request.ResourceSpans[0].ScopeSpans[0].Spans[0].Name = new string('n', nameLength);
        var bytes = request.ToByteArray();

        int count = OtlpWire.CountItems(Signal.Traces, bytes);

        Assert.Equal(3, count);
    }
}
