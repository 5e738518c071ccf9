namespace Pipeline.Receivers.Ebpf.Tracking;

/// <summary>What the user side needs to know about a traced process to name its resource.</summary>
/// <param name="Pid">Host process id (tgid).</param>
/// <param name="NamespacePid">The pid as the process sees it (its pid namespace), reported as <c>process.pid</c>.</param>
/// <param name="ExecutablePath">Full path of the executable (<c>/proc/pid/exe</c>), or null when unknown.</param>
/// <param name="ExecutableName">Base name of the executable.</param>
/// <param name="Arguments">The command line, argv[0] first (used to name <c>dotnet app.dll</c> services).</param>
/// <param name="ServiceName">The process's <c>OTEL_SERVICE_NAME</c> (or <c>service.name</c> from
/// <c>OTEL_RESOURCE_ATTRIBUTES</c>), or null when it sets neither.</param>
/// <param name="Language">The detected runtime (<c>dotnet</c>, <c>java</c>, <c>nodejs</c>, …), or null when unknown.</param>
public sealed record ProcessIdentity(
    uint Pid,
    uint NamespacePid,
    string? ExecutablePath,
    string ExecutableName,
    IReadOnlyList<string> Arguments,
    string? ServiceName,
    string? Language = null);

/// <summary>Looks traced processes up (discovery implements it from <c>/proc</c>).</summary>
public interface IProcessResolver
{
    /// <summary>The identity of a host pid, or null when the process is unknown or gone.</summary>
    ProcessIdentity? Resolve(uint pid);
}
