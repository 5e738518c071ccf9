using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Pipeline.Receivers.Ebpf.Tracking;

namespace Pipeline.Receivers.Ebpf.Tests.Kernel;

/// <summary>An HTTP/1.1 client on a raw socket, so a test decides exactly how the bytes are written (one request per
/// send, all pipelined in one send, or a few bytes per send) and measures each exchange from its first send to the
/// last byte of its response.</summary>
internal sealed class RawHttp : IDisposable
{
    private readonly Socket _socket;
    private readonly int _port;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    public RawHttp(int port)
    {
        _port = port;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveTimeout = 20_000 };
        _socket.Connect(IPAddress.Loopback, port);
        LocalPort = ((IPEndPoint)_socket.LocalEndPoint!).Port;
    }

    /// <summary>The client's ephemeral port: the server span's <c>network.peer.port</c>.</summary>
    public int LocalPort { get; }

    public string Request(string method, string path, string? body = null)
    {
        var text = new StringBuilder();
        text.Append(method).Append(' ').Append(path).Append(" HTTP/1.1\r\nHost: 127.0.0.1:").Append(_port.ToString(CultureInfo.InvariantCulture))
            .Append("\r\nUser-Agent: pipeline-tests\r\n");
        if (body is not null)
        {
            text.Append("Content-Length: ").Append(Encoding.ASCII.GetByteCount(body).ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        }

        return text.Append("\r\n").Append(body).ToString();
    }

    /// <summary>Sends one request in one write and reads its response; returns the status and the measured time.</summary>
    public Exchange Send(string method, string path, string? body = null)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(Request(method, path, body));
        long start = Stopwatch.GetTimestamp();
        _socket.Send(bytes);
        var (status, length) = ReadResponse();
        return new Exchange(LocalPort, method, path, status, length, start, Stopwatch.GetTimestamp());
    }

    /// <summary>Writes raw bytes in one send.</summary>
    public void Write(string text) => _socket.Send(Encoding.ASCII.GetBytes(text));

    /// <summary>Sends a request a few bytes per write, with a short pause after each so the server reads it in pieces.</summary>
    public async Task<Exchange> SendSplitAsync(string method, string path, int bytesPerWrite, TimeSpan pause, string? body = null)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(Request(method, path, body));
        long start = Stopwatch.GetTimestamp();
        for (int offset = 0; offset < bytes.Length; offset += bytesPerWrite)
        {
            _socket.Send(bytes.AsSpan(offset, Math.Min(bytesPerWrite, bytes.Length - offset)));
            await Task.Delay(pause);
        }

        var (status, length) = ReadResponse();
        return new Exchange(LocalPort, method, path, status, length, start, Stopwatch.GetTimestamp());
    }

    /// <summary>Reads one response (Content-Length framed): status code and body length.</summary>
    public (int Status, int BodyLength) ReadResponse()
    {
        int headEnd;
        while ((headEnd = Buffered().IndexOf("\r\n\r\n"u8)) < 0)
        {
            Fill();
        }

        string head = Encoding.ASCII.GetString(_buffer, _start, headEnd);
        _start += headEnd + 4;
        string[] lines = head.Split("\r\n");
        int status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        int length = 0;
        foreach (string line in lines)
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(line.AsSpan("Content-Length:".Length).Trim(), CultureInfo.InvariantCulture);
            }
        }

        int remaining = length;
        while (remaining > 0)
        {
            if (_end == _start)
            {
                Fill();
            }

            int take = Math.Min(remaining, _end - _start);
            _start += take;
            remaining -= take;
        }

        return (status, length);
    }

    public void Dispose() => _socket.Dispose();

    private ReadOnlySpan<byte> Buffered() => _buffer.AsSpan(_start, _end - _start);

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        int n = _socket.Receive(_buffer, _end, _buffer.Length - _end, SocketFlags.None);
        if (n == 0)
        {
            throw new IOException("The server closed the connection in the middle of a response.");
        }

        _end += n;
    }
}

/// <summary>One request as the client saw it: its connection's local port, what was asked, what came back, and
/// <see cref="Stopwatch"/> timestamps (CLOCK_MONOTONIC nanoseconds on Linux, the kernel's clock) taken just before its
/// first send and just after the last byte of its response.</summary>
internal sealed record Exchange(int ClientPort, string Method, string Path, int Status, int BodyLength, long SentAt, long ReceivedAt)
{
    /// <summary><see cref="SentAt"/> in nanoseconds.</summary>
    public long SentNs => MonotonicClock.Nanoseconds(SentAt);

    /// <summary><see cref="ReceivedAt"/> in nanoseconds.</summary>
    public long ReceivedNs => MonotonicClock.Nanoseconds(ReceivedAt);
}
