using System.Runtime.InteropServices;

namespace Pipeline.Receivers.Ebpf.Interop;

/// <summary>The few libc calls the loader needs.</summary>
internal static partial class LibC
{
    private const string Library = "libc";

    /// <summary><c>int vsnprintf(char *str, size_t size, const char *format, va_list ap)</c>: formats libbpf's log
    /// lines. A va_list reaches the callback as a pointer on x86-64 and arm64 and is passed on unchanged.</summary>
    [LibraryImport(Library, EntryPoint = "vsnprintf")]
    internal static unsafe partial int Vsnprintf(byte* buffer, nuint size, byte* format, nint args);

    /// <summary><c>uid_t geteuid(void)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "geteuid")]
    internal static partial uint Geteuid();
}
