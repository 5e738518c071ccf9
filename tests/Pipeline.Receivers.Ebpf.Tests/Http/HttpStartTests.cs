using System.Text;
using Pipeline.Receivers.Ebpf.Http;
using Xunit;

namespace Pipeline.Receivers.Ebpf.Tests.Http;

public class HttpStartTests
{
    [Theory]
    [InlineData("GET / HTTP/1.1\r\n", "Request")]
    [InlineData("OPTIONS * HTTP/1.1\r\n", "Request")]
    [InlineData("GET http://x/ HTTP/1.1\r\n", "Request")]
    [InlineData("MKCALENDAR /cal HTTP/1.1\r\n", "Request")]
    [InlineData("GE", "Request")]
    [InlineData("POST ", "Request")]
    [InlineData("HTTP/1.1 200 OK\r\n", "Response")]
    [InlineData("HTT", "Response")]
    [InlineData("H", "Ambiguous")]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "None")]
    [InlineData("HTTP/2 200\r\n", "None")]
    [InlineData("GET key\r\n", "None")]
    [InlineData("get / HTTP/1.1\r\n", "None")]
    [InlineData("X", "None")]
    [InlineData("*3\r\n$3\r\nSET\r\n", "None")]
    [InlineData("", "None")]
    public void Classify_SegmentStart(string text, string expected)
    {
        var kind = HttpStart.Classify(Encoding.ASCII.GetBytes(text));

        Assert.Equal(expected, kind.ToString());
    }
}
