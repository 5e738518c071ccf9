namespace Pipeline.Receivers.Ebpf.Http;

/// <summary>The parts of an HTTP/1.x request head that spans use (never other header values), and its timing.</summary>
internal sealed class HttpRequest
{
    /// <summary>The method as sent (e.g. <c>GET</c>, or a custom token).</summary>
    public required string Method { get; init; }

    /// <summary>The path of the request target, without query string or fragment.</summary>
    public required string Path { get; init; }

    /// <summary>The host of an absolute-form target, else of the Host header, without port; null when absent.</summary>
    public string? Host { get; init; }

    /// <summary>The port of an absolute-form target or the Host header; 0 when absent.</summary>
    public int HostPort { get; init; }

    /// <summary><c>1.1</c> or <c>1.0</c>.</summary>
    public required string Version { get; init; }

    /// <summary>The User-Agent header, or null.</summary>
    public string? UserAgent { get; init; }

    /// <summary>The traceparent header as sent, or null.</summary>
    public string? TraceParent { get; init; }

    /// <summary>The tracestate header as sent, or null.</summary>
    public string? TraceState { get; init; }

    /// <summary>Kernel time at the entry of the syscall that carried the first byte.</summary>
    public ulong FirstEntryNs { get; set; }

    /// <summary>Kernel time at the exit of the syscall that carried the first byte.</summary>
    public ulong FirstExitNs { get; set; }

    /// <summary>Thread that moved the first byte.</summary>
    public uint FirstTid { get; set; }

    /// <summary>Thread that moved the last byte of the head.</summary>
    public uint HeadTid { get; set; }

    /// <summary>The span being built for this request (owned by span assembly).</summary>
    public object? SpanState { get; set; }

    /// <summary>True for the placeholder put in the pairing queue where requests were lost in a gap.</summary>
    public bool IsGapMarker { get; init; }

    /// <summary>The placeholder for lost requests.</summary>
    internal static HttpRequest GapMarker() => new() { Method = string.Empty, Path = string.Empty, Version = string.Empty, IsGapMarker = true };
}
