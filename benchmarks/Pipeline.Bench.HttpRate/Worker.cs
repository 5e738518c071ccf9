using System.Net;
using System.Net.Sockets;

namespace Pipeline.Bench.HttpRate;

/// <summary>One keep-alive connection on its own thread: sends at its due times, reads each response whole.</summary>
internal sealed class Worker
{
    private readonly IPEndPoint _endpoint;
    private readonly byte[] _request;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    public Worker(IPEndPoint endpoint, byte[] request, int capacity)
    {
        _endpoint = endpoint;
        _request = request;
        Service = new long[capacity];
        Scheduled = new long[capacity];
    }

    public long[] Service { get; }

    public long[] Scheduled { get; }

    public int Count { get; private set; }

    public long Ok { get; private set; }

    public long Non2xx { get; private set; }

    public long Failed { get; private set; }

    /// <summary>Requests never sent because the server fell more than 2 s behind the schedule.</summary>
    public long NotSent { get; private set; }

    public long EndNs { get; private set; }

    public void Run(long startNs, int index, int connections, double intervalNs)
    {
        Socket? socket = null;
        long stopNs = startNs + (long)(Service.Length * connections * intervalNs);
        long giveUpNs = stopNs + 2_000_000_000; // a server slower than the rate: stop 2 s after the schedule ends
        for (int k = 0; k < Service.Length; k++)
        {
            long due = startNs + (long)(((double)k * connections + index) * intervalNs);
            if (due >= stopNs)
            {
                break;
            }

            if (Native.MonotonicNs() > giveUpNs)
            {
                NotSent = Service.Length - k;
                break;
            }

            Native.SleepUntil(due);
            try
            {
                socket ??= Connect();
                long t0 = Native.MonotonicNs();
                socket.Send(_request);
                int status = ReadResponse(socket);
                long t1 = Native.MonotonicNs();
                Service[Count] = t1 - t0;
                Scheduled[Count] = t1 - Math.Min(due, t0);
                Count++;
                if (status is >= 200 and < 300)
                {
                    Ok++;
                }
                else
                {
                    Non2xx++;
                }
            }
            catch (Exception e) when (e is SocketException or IOException or FormatException)
            {
                Failed++;
                socket?.Dispose();
                socket = null;
                _start = _end = 0;
            }
        }

        EndNs = Native.MonotonicNs();
        socket?.Dispose();
    }

    private Socket Connect()
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        s.Connect(_endpoint);
        return s;
    }

    /// <summary>Reads one response (head, then a Content-Length or chunked body); returns its status code. Bytes
    /// after it stay buffered (there are none without pipelining).</summary>
    private int ReadResponse(Socket s)
    {
        int headEnd;
        while ((headEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
        {
            Fill(s);
        }

        var head = _buffer.AsSpan(_start, headEnd);
        int status = (head[9] - '0') * 100 + (head[10] - '0') * 10 + (head[11] - '0');
        _start += headEnd + 4;
        long length = HeaderValue(head, "content-length:"u8);
        if (length >= 0)
        {
            while (_end - _start < length)
            {
                Fill(s);
            }

            _start += (int)length;
        }
        else
        {
            // chunked: read until the terminating "0\r\n\r\n" (trailers are not expected from these servers)
            int last;
            while ((last = _buffer.AsSpan(_start, _end - _start).IndexOf("0\r\n\r\n"u8)) < 0)
            {
                Fill(s);
            }

            _start += last + 5;
        }

        if (_start == _end)
        {
            _start = _end = 0;
        }

        return status;
    }

    private void Fill(Socket s)
    {
        if (_end == _buffer.Length)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        int n = s.Receive(_buffer, _end, _buffer.Length - _end, SocketFlags.None);
        if (n == 0)
        {
            throw new IOException("The server closed the connection.");
        }

        _end += n;
    }

    private static long HeaderValue(ReadOnlySpan<byte> head, ReadOnlySpan<byte> lowerName)
    {
        int lineStart = head.IndexOf("\r\n"u8) + 2;
        while (lineStart > 1 && lineStart < head.Length)
        {
            var rest = head[lineStart..];
            int eol = rest.IndexOf("\r\n"u8);
            var line = eol < 0 ? rest : rest[..eol];
            if (line.Length > lowerName.Length && StartsWithIgnoreCase(line, lowerName))
            {
                var value = line[lowerName.Length..].Trim((byte)' ');
                long v = 0;
                foreach (byte b in value)
                {
                    if (b is < (byte)'0' or > (byte)'9')
                    {
                        throw new FormatException("Bad Content-Length.");
                    }

                    v = v * 10 + (b - '0');
                }

                return v;
            }

            if (eol < 0)
            {
                break;
            }

            lineStart += eol + 2;
        }

        return -1;
    }

    private static bool StartsWithIgnoreCase(ReadOnlySpan<byte> line, ReadOnlySpan<byte> lowerName)
    {
        for (int i = 0; i < lowerName.Length; i++)
        {
            byte b = line[i];
            if (b is >= (byte)'A' and <= (byte)'Z')
            {
                b = (byte)(b + 32);
            }

            if (b != lowerName[i])
            {
                return false;
            }
        }

        return true;
    }
}
