namespace Pipeline.Receivers.Ebpf.Http;

/// <summary>What the first bytes of a segment look like.</summary>
internal enum HttpStartKind
{
    /// <summary>Not the start of an HTTP/1.x message.</summary>
    None,

    /// <summary>A request line (<c>GET /…</c>), or a prefix of one.</summary>
    Request,

    /// <summary>A status line (<c>HTTP/1.x …</c>), or a prefix of one.</summary>
    Response,

    /// <summary>Too short to tell (<c>H</c> starts both <c>HEAD</c> and <c>HTTP/1.</c>).</summary>
    Ambiguous,
}

/// <summary>Recognises the start of an HTTP/1.x message at a segment boundary (used for protocol detection and to
/// resync after a gap or a mid-stream attach). Message boundaries nearly always start a read or a write, so only the
/// start of a segment is examined: scanning inside bodies would find false starts.</summary>
internal static class HttpStart
{
    private const int MaxMethodLength = 16;

    private static readonly string[] KnownMethods = ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "CONNECT", "TRACE", "QUERY"];

    /// <summary>Classifies the start of a segment. A complete request start is an upper-case token, a space and a target
    /// that begins with <c>/</c>, <c>*</c> or <c>h</c> (absolute form), as OBI checks; a shorter segment counts when it
    /// is a prefix of a known method or of <c>HTTP/1.</c>.</summary>
    public static HttpStartKind Classify(ReadOnlySpan<byte> start)
    {
        if (start.IsEmpty || start.StartsWith("PRI * HTTP/2"u8))
        {
            return HttpStartKind.None; // the HTTP/2 connection preface looks like a request line; a later parser owns it
        }

        bool responsePrefix = IsPrefixOf(start, "HTTP/1."u8);
        if (responsePrefix && start.Length >= 2)
        {
            return HttpStartKind.Response;
        }

        var request = ClassifyRequest(start);
        if (responsePrefix)
        {
            return request ? HttpStartKind.Ambiguous : HttpStartKind.Response;
        }

        return request ? HttpStartKind.Request : HttpStartKind.None;
    }

    private static bool ClassifyRequest(ReadOnlySpan<byte> start)
    {
        int i = 0;
        while (i < start.Length && i <= MaxMethodLength && IsMethodChar(start[i]))
        {
            i++;
        }

        if (i == start.Length)
        {
            return i <= MaxMethodLength && IsKnownMethodPrefix(start);
        }

        if (i == 0 || i > MaxMethodLength || start[i] != (byte)' ')
        {
            return false;
        }

        if (i + 1 == start.Length)
        {
            return true;
        }

        byte target = start[i + 1];
        return target is (byte)'/' or (byte)'*' or (byte)'h' or (byte)'H';
    }

    private static bool IsMethodChar(byte b) => b is >= (byte)'A' and <= (byte)'Z' or (byte)'-' or (byte)'_';

    private static bool IsKnownMethodPrefix(ReadOnlySpan<byte> start)
    {
        foreach (var method in KnownMethods)
        {
            if (start.Length <= method.Length && MatchesAscii(start, method))
            {
                return true;
            }
        }

        return false;
    }

    private static bool MatchesAscii(ReadOnlySpan<byte> bytes, string text)
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != text[i])
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsPrefixOf(ReadOnlySpan<byte> start, ReadOnlySpan<byte> full) =>
        start.Length >= full.Length ? start.StartsWith(full) : full.StartsWith(start);
}
