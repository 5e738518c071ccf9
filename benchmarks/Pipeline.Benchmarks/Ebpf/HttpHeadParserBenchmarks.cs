using System.Text;
using BenchmarkDotNet.Attributes;
using Pipeline.Receivers.Ebpf.Http;

namespace Pipeline.Benchmarks.Ebpf;

/// <summary>
/// The eBPF receiver's HTTP/1.x head parser, per captured head: a minimal request (baseline), a realistic request of
/// a browser/SDK client (11 header fields, query string), and a typical response head.
/// </summary>
[MemoryDiagnoser]
public class HttpHeadParserBenchmarks
{
    private readonly byte[] _minimal = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
    private readonly byte[] _realistic = Encoding.ASCII.GetBytes(
        "POST /api/orders/12345/items?expand=product&page=2 HTTP/1.1\r\n" +
        "Host: orders.internal:8080\r\n" +
        "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36\r\n" +
        "Accept: application/json\r\n" +
        "Accept-Encoding: gzip, deflate, br\r\n" +
        "Accept-Language: en-GB,en;q=0.9\r\n" +
        "Content-Type: application/json\r\n" +
        "Content-Length: 512\r\n" +
        "Connection: keep-alive\r\n" +
        "traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\r\n" +
        "Cookie: session=0123456789abcdef0123456789abcdef; theme=dark\r\n" +
        "X-Request-Id: 5b0c2f3e-8d7a-4e61-9f0a-1c2d3e4f5a6b\r\n\r\n");
    private readonly byte[] _response = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\n" +
        "Date: Thu, 26 Nov 2026 03:00:00 GMT\r\n" +
        "Server: nginx/1.24.0\r\n" +
        "Content-Type: application/json; charset=utf-8\r\n" +
        "Transfer-Encoding: chunked\r\n" +
        "Connection: keep-alive\r\n" +
        "Cache-Control: no-store\r\n\r\n");

    /// <summary>Request line and Host only.</summary>
    [Benchmark(Baseline = true)]
    public object? MinimalRequest() => HttpHeadParser.ParseRequest(_minimal, out _);

    /// <summary>A realistic request head (~650 bytes).</summary>
    [Benchmark]
    public object? RealisticRequest() => HttpHeadParser.ParseRequest(_realistic, out _);

    /// <summary>A typical response head.</summary>
    [Benchmark]
    public int Response() => HttpHeadParser.ParseResponse(_response, out int status, out _, out _) ? status : -1;
}
