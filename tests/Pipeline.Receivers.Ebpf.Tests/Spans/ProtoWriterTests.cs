using Pipeline.Receivers.Ebpf.Spans;
using Xunit;

namespace Pipeline.Receivers.Ebpf.Tests.Spans;

public class ProtoWriterTests
{
    [Theory]
    [InlineData("")]
    [InlineData("GET")]
    [InlineData("127.0.0.1")]
    [InlineData("ünïcödé/路径")]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(300)]
    public void StringAttribute_AnyValue_WritesWhatNestedMessagesWrite(object value)
    {
        string text = value as string ?? new string('a', (int)value);

        var expected = Nested(w => w.String(1, text));
        using var w = new ProtoWriter(16);
        w.StringAttribute(9, "url.path"u8, text);

        Assert.Equal(expected, w.Written.ToArray());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BoolAttribute_AnyValue_WritesWhatNestedMessagesWrite(bool value)
    {
        var expected = Nested(w => w.Varint(2, value ? 1UL : 0UL)); // a protobuf bool is the varint 0 or 1
        using var w = new ProtoWriter(16);
        w.BoolAttribute(9, "url.path"u8, value);

        Assert.Equal(expected, w.Written.ToArray());
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(200L)]
    [InlineData(65535L)]
    [InlineData(long.MaxValue)]
    [InlineData(-1L)]
    public void IntAttribute_AnyValue_WritesWhatNestedMessagesWrite(long value)
    {
        var expected = Nested(w => w.Varint(3, (ulong)value));
        using var w = new ProtoWriter(16);
        w.IntAttribute(9, "url.path"u8, value);

        Assert.Equal(expected, w.Written.ToArray());
    }

    [Theory]
    [InlineData("GET", "/users/*")]
    [InlineData("HTTP", "/ünï")]
    [InlineData("GET", "")]
    public void String_TwoPartsAndSeparator_WritesTheJoinedString(string first, string second)
    {
        using var joined = new ProtoWriter(16);
        joined.String(5, first + " " + second);
        using var w = new ProtoWriter(16);
        w.String(5, first, ' ', second);

        Assert.Equal(joined.Written.ToArray(), w.Written.ToArray());
    }

    [Fact]
    public void String_LongParts_WritesTheJoinedString()
    {
        string first = new('m', 100);
        string second = new('p', 100);

        using var joined = new ProtoWriter(16);
        joined.String(5, first + " " + second);
        using var w = new ProtoWriter(16);
        w.String(5, first, ' ', second);

        Assert.Equal(joined.Written.ToArray(), w.Written.ToArray());
    }

    /// <summary>KeyValue (field 9) { key = 1, value = 2 { one AnyValue member } } written with Begin/End.</summary>
    private static byte[] Nested(Action<ProtoWriter> member)
    {
        using var w = new ProtoWriter(16);
        int kv = w.Begin(9);
        w.Bytes(1, "url.path"u8);
        int any = w.Begin(2);
        member(w);
        w.End(any);
        w.End(kv);
        return w.Written.ToArray();
    }
}
