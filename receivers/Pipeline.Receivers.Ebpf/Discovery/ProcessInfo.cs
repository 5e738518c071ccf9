namespace Pipeline.Receivers.Ebpf.Discovery;

/// <summary>What discovery read about a process from /proc: what selectors match on and what resources are named from.</summary>
/// <param name="Pid">Host process id (tgid).</param>
/// <param name="NamespacePid">The pid in the process's own pid namespace (NSpid's last entry), reported as <c>process.pid</c>.</param>
/// <param name="ExecutablePath">Target of <c>/proc/pid/exe</c>, or null when unreadable (kernel threads, exited).</param>
/// <param name="ExecutableName">Base name of the executable (or argv[0]).</param>
/// <param name="CommandLine">argv, argv[0] first.</param>
/// <param name="ServiceName">The process's <c>OTEL_SERVICE_NAME</c>, else <c>service.name</c> from
/// <c>OTEL_RESOURCE_ATTRIBUTES</c>; null when it sets neither (the user side then names <c>dotnet app.dll</c> after the dll).</param>
/// <param name="ListenPorts">TCP ports the process listens on (empty unless a selector needs ports).</param>
internal sealed record ProcessInfo(
    uint Pid,
    uint NamespacePid,
    string? ExecutablePath,
    string ExecutableName,
    IReadOnlyList<string> CommandLine,
    string? ServiceName,
    IReadOnlyList<int> ListenPorts)
{
    /// <summary>The arguments after argv[0], joined by spaces (what <c>cmd_args</c> matches).</summary>
    public string ArgumentsText => CommandLine.Count <= 1 ? string.Empty : string.Join(' ', CommandLine.Skip(1));
}
