using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Trace.V1;
using Xunit;

namespace Pipeline.Telemetry.Tests.Model;

public sealed class TelemetryDataTests
{
    [Fact]
    public void FromEncoded_WithSpanCount_KeepsBytesAndTheGivenCount()
    {
        var request = SampleData.Traces();
        byte[] body = request.ToByteArray();
        int spans = Traces.FromEncoded(body).ItemCount;

        var traces = Traces.FromEncoded(body, spans);

        Assert.True(traces.IsEncodedOnly);
        Assert.Equal(spans, traces.ItemCount);
        Assert.Equal(body, traces.ToByteArray());
        Assert.Equal(request, traces.Request);
    }

    [Fact]
    public void FromEncoded_NegativeSpanCount_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Traces.FromEncoded(SampleData.Traces().ToByteArray(), -1));
    }

    [Fact]
    public void Concat_EncodedBatches_KeepsBytesWithoutDecoding()
    {
        var a = Traces.FromEncoded(SampleData.Traces().ToByteArray());
        var b = Traces.FromEncoded(OneSpan("b").ToByteArray());

        var joined = Traces.Concat([a, b]);

        Assert.True(joined.IsEncodedOnly);
        Assert.True(a.IsEncodedOnly);
        Assert.Equal(4, joined.ItemCount);
        Assert.Equal([.. SampleData.Traces().ToByteArray(), .. OneSpan("b").ToByteArray()], joined.ToByteArray());
    }

    [Fact]
    public void Concat_ThenDecode_EqualsMergedRequests()
    {
        var first = SampleData.Traces();
        var second = OneSpan("b");
        var expected = first.Clone();
        expected.MergeFrom(second);

        var joined = Traces.Concat([Traces.FromEncoded(first.ToByteArray()), Traces.FromRequest(second)]);

        Assert.Equal(expected, joined.Request);
        Assert.Equal(4, joined.ItemCount);
    }

    [Fact]
    public void Concat_Single_ReturnsSameInstance()
    {
        var only = Traces.FromRequest(OneSpan("a"));

        var joined = Traces.Concat([only]);

        Assert.Same(only, joined);
    }

    [Fact]
    public void Clone_Decoded_IsIndependent()
    {
        var original = Traces.FromRequest(OneSpan("a"));

        var copy = original.Clone();
        copy.GetMutableRequest().ResourceSpans[0].ScopeSpans[0].Spans[0].Name = "changed";

        Assert.Equal("a", original.Request.ResourceSpans[0].ScopeSpans[0].Spans[0].Name);
        Assert.Equal("changed", copy.Request.ResourceSpans[0].ScopeSpans[0].Spans[0].Name);
    }

    [Fact]
    public void Clone_Encoded_IsIndependentAfterMutation()
    {
        var original = Traces.FromEncoded(OneSpan("a").ToByteArray());

        var copy = original.Clone();
        copy.GetMutableRequest().ResourceSpans[0].ScopeSpans[0].Spans.Clear();

        Assert.Equal(1, original.ItemCount);
        Assert.Equal(0, copy.ItemCount);
        Assert.Equal(OneSpan("a").ToByteArray(), original.ToByteArray());
    }

    [Fact]
    public void GetMutableRequest_ReadOnly_Throws()
    {
        var batch = Logs.FromRequest(new ExportLogsServiceRequest());
        batch.MarkReadOnly();

        var ex = Assert.Throws<InvalidOperationException>(() => batch.GetMutableRequest());

        Assert.Equal("This logs batch is read-only: it is shared by several consumers and must be cloned before it is changed.", ex.Message);
        Assert.NotNull(batch.Request);
    }

    [Fact]
    public void Clone_OfReadOnly_IsWritable()
    {
        var batch = Traces.FromRequest(OneSpan("a"));
        batch.MarkReadOnly();

        var copy = batch.Clone();

        Assert.False(copy.IsReadOnly);
        Assert.NotNull(copy.GetMutableRequest());
    }

    [Fact]
    public void GetMutableRequest_DropsEncodedForm_SoWritesReencode()
    {
        var batch = Traces.FromEncoded(OneSpan("a").ToByteArray());

        batch.GetMutableRequest().ResourceSpans[0].ScopeSpans[0].Spans[0].Name = "bb";

        Assert.True(batch.Segments.IsEmpty);
        Assert.Equal(OneSpan("bb").ToByteArray(), batch.ToByteArray());
        Assert.Equal(OneSpan("bb").CalculateSize(), batch.CalculateSize());
    }

    private static ExportTraceServiceRequest OneSpan(string name) => new()
    {
        ResourceSpans = { new ResourceSpans { ScopeSpans = { new ScopeSpans { Spans = { new Span { Name = name } } } } } },
    };
}
