using Pipeline.Receivers.Ebpf.Native;

namespace Pipeline.Receivers.Ebpf.Loader;

/// <summary>The <c>ebpf.attach_mode</c> values and the decision of which program set to attach.</summary>
public static class AttachModes
{
    /// <summary>Tracepoints, else raw tracepoints when tracefs is unavailable.</summary>
    public const string Auto = "auto";

    /// <summary>Syscall tracepoints only.</summary>
    public const string Tracepoint = "tracepoint";

    /// <summary>Raw tracepoints only.</summary>
    public const string RawTracepoint = "raw_tracepoint";

    /// <summary>Every accepted value.</summary>
    public static readonly IReadOnlyList<string> All = [Auto, Tracepoint, RawTracepoint];

    /// <summary>
    /// The set to attach first. <paramref name="traceFsProblem"/> is null when tracefs is usable (found or mounted),
    /// else the sentence saying why not. Throws when <c>tracepoint</c> was asked for and tracefs is unusable.
    /// </summary>
    internal static AttachMode Choose(string setting, string? traceFsProblem) => setting switch
    {
        RawTracepoint => AttachMode.RawTracepoint,
        Tracepoint when traceFsProblem is not null => throw new InvalidOperationException(traceFsProblem),
        Tracepoint => AttachMode.Tracepoint,
        _ => traceFsProblem is null ? AttachMode.Tracepoint : AttachMode.RawTracepoint,
    };

    /// <summary>Whether a failed tracepoint load should be retried with raw tracepoints: only under <c>auto</c>, and
    /// only when attaching a tracepoint failed because its id could not be read from tracefs (ENOENT, EACCES or EPERM
    /// on the tracefs files); verifier and permission failures of the programs themselves are not retried.</summary>
    internal static bool ShouldFallBack(string setting, AttachMode tried, BpfException error) =>
        setting == Auto
        && tried == AttachMode.Tracepoint
        && error.Call.StartsWith("bpf_program__attach(tracepoint/", StringComparison.Ordinal)
        && error.Errno is 2 or 13 or 1;
}
