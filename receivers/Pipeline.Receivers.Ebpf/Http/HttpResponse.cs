namespace Pipeline.Receivers.Ebpf.Http;

/// <summary>The final response to a request and its timing.</summary>
internal sealed class HttpResponse
{
    /// <summary>The status code (100–999).</summary>
    public int StatusCode { get; set; }

    /// <summary><c>1.1</c> or <c>1.0</c>.</summary>
    public string Version { get; set; } = "1.1";

    /// <summary>Kernel time at the entry of the syscall that carried the first byte (of the first, possibly 1xx, head).</summary>
    public ulong FirstEntryNs { get; set; }

    /// <summary>Kernel time at the exit of the syscall that carried the first byte.</summary>
    public ulong FirstExitNs { get; set; }

    /// <summary>Kernel time at the exit of the syscall that carried the last byte.</summary>
    public ulong LastExitNs { get; set; }
}
