using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace Pipeline.Receivers.Ebpf.Http;

/// <summary>The framing facts of a parsed head.</summary>
internal struct HttpFraming
{
    /// <summary>The Content-Length, or -1 when absent.</summary>
    public long ContentLength;

    /// <summary>True when the final transfer coding is chunked.</summary>
    public bool Chunked;

    /// <summary>True when a Transfer-Encoding other than chunked ends the list (a response then runs until close).</summary>
    public bool OtherTransferCoding;
}

/// <summary>Parses complete HTTP/1.x heads (start line and header fields, without the final empty line handling,
/// which the incremental reader does). Keeps only what spans need: never other header values.</summary>
internal static class HttpHeadParser
{
    private const int MaxUserAgentLength = 512;

    /// <summary>RFC 9110 tchar: visible ASCII except the delimiters.</summary>
    private static readonly SearchValues<byte> TokenChars = SearchValues.Create(
        "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    private static readonly Func<ReadOnlySpan<byte>, string> MakeHost = static b => Encoding.Latin1.GetString(b).ToLowerInvariant();
    private static readonly Func<ReadOnlySpan<byte>, string> MakePath = static b => Encoding.UTF8.GetString(b);

    /// <summary>Hosts and paths seen lately on this thread (the processing thread: a keep-alive client repeats them).</summary>
    [ThreadStatic]
    private static AsciiStringCache? t_hosts;

    [ThreadStatic]
    private static AsciiStringCache? t_paths;

    /// <summary>Parses a request head; null when malformed.</summary>
    public static HttpRequest? ParseRequest(ReadOnlySpan<byte> head, out HttpFraming framing)
    {
        framing = new HttpFraming { ContentLength = -1 };
        var line = NextLine(ref head);
        int sp1 = line.IndexOf((byte)' ');
        int sp2 = line.LastIndexOf((byte)' ');
        if (sp1 <= 0 || sp2 <= sp1 + 1 || sp1 > 32)
        {
            return null;
        }

        var method = line[..sp1];
        var target = line[(sp1 + 1)..sp2];
        string? version = Version(line[(sp2 + 1)..]);
        if (version is null || !IsToken(method) || target.IndexOf((byte)' ') >= 0)
        {
            return null;
        }

        string? host = null;
        int hostPort = 0;
        string path;
        if (target[0] == (byte)'/')
        {
            path = Path(target);
        }
        else if (target.Length == 1 && target[0] == (byte)'*')
        {
            path = "*";
        }
        else if (StartsWithIgnoreCase(target, "http://"u8) || StartsWithIgnoreCase(target, "https://"u8))
        {
            var rest = target[(target.IndexOf((byte)':') + 3)..];
            int end = rest.IndexOfAny((byte)'/', (byte)'?', (byte)'#');
            var authority = end < 0 ? rest : rest[..end];
            SplitAuthority(authority, out host, out hostPort);
            path = end < 0 || rest[end] != (byte)'/' ? "/" : Path(rest[end..]);
        }
        else if (method.SequenceEqual("CONNECT"u8))
        {
            SplitAuthority(target, out host, out hostPort);
            path = string.Empty;
        }
        else
        {
            return null;
        }

        string? userAgent = null, traceParent = null, traceState = null;
        while (!head.IsEmpty)
        {
            var field = NextLine(ref head);
            if (field.IsEmpty)
            {
                break;
            }

            if (!SplitField(field, out var name, out var value))
            {
                if (field[0] is (byte)' ' or (byte)'\t')
                {
                    continue; // obsolete line folding: a continuation of a value we do not keep
                }

                return null;
            }

            if (!ApplyFraming(name, value, ref framing))
            {
                return null;
            }

            if (EqualsIgnoreCase(name, "host"u8) && host is null)
            {
                SplitAuthority(value, out host, out hostPort);
            }
            else if (EqualsIgnoreCase(name, "user-agent"u8))
            {
                userAgent = Encoding.UTF8.GetString(value.Length > MaxUserAgentLength ? value[..MaxUserAgentLength] : value);
            }
            else if (EqualsIgnoreCase(name, "traceparent"u8))
            {
                traceParent = Encoding.Latin1.GetString(value);
            }
            else if (EqualsIgnoreCase(name, "tracestate"u8))
            {
                traceState = traceState is null ? Encoding.Latin1.GetString(value) : traceState + "," + Encoding.Latin1.GetString(value);
            }
        }

        if (framing.OtherTransferCoding && !framing.Chunked)
        {
            return null; // RFC 9112 §6.3: a request whose final coding is not chunked cannot be framed
        }

        return new HttpRequest
        {
            Method = MethodString(method),
            Path = path,
            Host = host,
            HostPort = hostPort,
            Version = version,
            UserAgent = userAgent,
            TraceParent = traceParent,
            TraceState = traceState,
        };
    }

    /// <summary>Parses a response head; false when malformed.</summary>
    public static bool ParseResponse(ReadOnlySpan<byte> head, out int status, out string version, out HttpFraming framing)
    {
        framing = new HttpFraming { ContentLength = -1 };
        status = 0;
        version = "1.1";
        var line = NextLine(ref head);
        if (line.Length < 12 || line[8] != (byte)' ' || (line.Length > 12 && line[12] != (byte)' '))
        {
            return false;
        }

        string? v = Version(line[..8]);
        if (v is null || !char.IsAsciiDigit((char)line[9]) || !char.IsAsciiDigit((char)line[10]) || !char.IsAsciiDigit((char)line[11]) || line[9] == (byte)'0')
        {
            return false;
        }

        version = v;
        status = ((line[9] - '0') * 100) + ((line[10] - '0') * 10) + (line[11] - '0');
        while (!head.IsEmpty)
        {
            var field = NextLine(ref head);
            if (field.IsEmpty)
            {
                break;
            }

            if (!SplitField(field, out var name, out var value))
            {
                if (field[0] is (byte)' ' or (byte)'\t')
                {
                    continue;
                }

                return false;
            }

            if (!ApplyFraming(name, value, ref framing))
            {
                return false;
            }
        }

        return true;
    }

    private static bool ApplyFraming(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, ref HttpFraming framing)
    {
        if (EqualsIgnoreCase(name, "content-length"u8))
        {
            if (value.IsEmpty || value.Length > 18)
            {
                return false;
            }

            long length = 0;
            foreach (byte b in value)
            {
                if (b is < (byte)'0' or > (byte)'9')
                {
                    return false;
                }

                length = (length * 10) + (b - '0');
            }

            if (framing.ContentLength >= 0 && framing.ContentLength != length)
            {
                return false; // RFC 9112 §6.3: differing Content-Length values are unrecoverable
            }

            framing.ContentLength = length;
        }
        else if (EqualsIgnoreCase(name, "transfer-encoding"u8))
        {
            int comma = value.LastIndexOf((byte)',');
            var last = Trim(comma < 0 ? value : value[(comma + 1)..]);
            framing.Chunked = EqualsIgnoreCase(last, "chunked"u8);
            framing.OtherTransferCoding = !framing.Chunked;
        }

        return true;
    }

    private static string? Version(ReadOnlySpan<byte> text) =>
        text.SequenceEqual("HTTP/1.1"u8) ? "1.1" : text.SequenceEqual("HTTP/1.0"u8) ? "1.0" : null;

    private static string Path(ReadOnlySpan<byte> target)
    {
        int end = target.IndexOfAny((byte)'?', (byte)'#');
        var path = end < 0 ? target : target[..end];
        return path.Length == 1 ? "/" : (t_paths ??= new AsciiStringCache(256, 128, ignoreCase: false)).Get(path, MakePath);
    }

    private static void SplitAuthority(ReadOnlySpan<byte> authority, out string? host, out int port)
    {
        port = 0;
        int at = authority.LastIndexOf((byte)'@');
        if (at >= 0)
        {
            authority = authority[(at + 1)..]; // never keep userinfo
        }

        int colon = authority.LastIndexOf((byte)':');
        int bracket = authority.LastIndexOf((byte)']');
        if (colon > bracket && colon >= 0)
        {
            foreach (byte b in authority[(colon + 1)..])
            {
                if (b is < (byte)'0' or > (byte)'9' || port > 65535)
                {
                    port = 0;
                    break;
                }

                port = (port * 10) + (b - '0');
            }

            if (port > 65535)
            {
                port = 0;
            }

            authority = authority[..colon];
        }

        if (authority.Length >= 2 && authority[0] == (byte)'[' && authority[^1] == (byte)']')
        {
            authority = authority[1..^1];
        }

        host = authority.IsEmpty ? null : (t_hosts ??= new AsciiStringCache(64, 64, ignoreCase: true)).Get(authority, MakeHost);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ReadOnlySpan<byte> NextLine(ref ReadOnlySpan<byte> rest)
    {
        int nl = rest.IndexOf((byte)'\n');
        var line = nl < 0 ? rest : rest[..nl];
        rest = nl < 0 ? [] : rest[(nl + 1)..];
        return line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool SplitField(ReadOnlySpan<byte> field, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        int colon = field.IndexOf((byte)':');
        name = colon > 0 ? field[..colon] : default;
        value = colon > 0 ? Trim(field[(colon + 1)..]) : default;
        return colon > 0 && IsToken(name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> value) => value.Trim(" \t"u8);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsToken(ReadOnlySpan<byte> text) => !text.IsEmpty && !text.ContainsAnyExcept(TokenChars);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool EqualsIgnoreCase(ReadOnlySpan<byte> a, ReadOnlySpan<byte> lowerB)
    {
        if (a.Length != lowerB.Length)
        {
            return false;
        }

        for (int i = 0; i < a.Length; i++)
        {
            if ((a[i] | 0x20) != lowerB[i] && a[i] != lowerB[i])
            {
                return false;
            }
        }

        return true;
    }

    private static bool StartsWithIgnoreCase(ReadOnlySpan<byte> a, ReadOnlySpan<byte> lowerPrefix) =>
        a.Length >= lowerPrefix.Length && EqualsIgnoreCase(a[..lowerPrefix.Length], lowerPrefix);

    private static string MethodString(ReadOnlySpan<byte> method) => method switch
    {
        _ when method.SequenceEqual("GET"u8) => "GET",
        _ when method.SequenceEqual("POST"u8) => "POST",
        _ when method.SequenceEqual("PUT"u8) => "PUT",
        _ when method.SequenceEqual("DELETE"u8) => "DELETE",
        _ when method.SequenceEqual("HEAD"u8) => "HEAD",
        _ when method.SequenceEqual("OPTIONS"u8) => "OPTIONS",
        _ when method.SequenceEqual("PATCH"u8) => "PATCH",
        _ when method.SequenceEqual("CONNECT"u8) => "CONNECT",
        _ when method.SequenceEqual("TRACE"u8) => "TRACE",
        _ => Encoding.Latin1.GetString(method),
    };
}
