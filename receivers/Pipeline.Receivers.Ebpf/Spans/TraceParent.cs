namespace Pipeline.Receivers.Ebpf.Spans;

/// <summary>W3C Trace Context <c>traceparent</c> parsing (https://www.w3.org/TR/trace-context/#traceparent-header).</summary>
internal static class TraceParent
{
    /// <summary>Parses <c>{version}-{trace-id}-{parent-id}-{flags}</c>: lower-case hex, version not <c>ff</c>,
    /// ids not all zero; version 00 is exactly 55 characters, later versions may append <c>-…</c>.</summary>
    public static bool TryParse(string? value, out byte[] traceId, out byte[] parentSpanId)
    {
        traceId = [];
        parentSpanId = [];
        if (value is null)
        {
            return false;
        }

        var s = value.AsSpan().Trim(" \t");
        if (s.Length < 55 || s[2] != '-' || s[35] != '-' || s[52] != '-' || !IsLowerHex(s[..2]) || !IsLowerHex(s.Slice(53, 2)))
        {
            return false;
        }

        if (s[..2] is "ff" || (s[..2] is "00" && s.Length != 55) || (s.Length > 55 && s[55] != '-'))
        {
            return false;
        }

        var trace = s.Slice(3, 32);
        var parent = s.Slice(36, 16);
        if (!IsLowerHex(trace) || !IsLowerHex(parent) || IsAllZero(trace) || IsAllZero(parent))
        {
            return false;
        }

        traceId = Convert.FromHexString(trace);
        parentSpanId = Convert.FromHexString(parent);
        return true;
    }

    private static bool IsLowerHex(ReadOnlySpan<char> s)
    {
        foreach (char c in s)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAllZero(ReadOnlySpan<char> s) => !s.ContainsAnyExcept('0');
}
