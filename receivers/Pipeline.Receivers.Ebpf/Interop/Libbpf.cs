namespace Pipeline.Receivers.Ebpf.Interop;

/// <summary>P/Invoke declarations for libbpf (one file per entry point, as dotnet/runtime's Interop folders).
/// libbpf 1.x semantics: functions returning pointers return NULL and set errno; functions returning int return a
/// negative errno.</summary>
internal static partial class Libbpf
{
    /// <summary>The shared library, as Debian 12 and most distributions ship it.</summary>
    internal const string Library = "libbpf.so.1";
}
