using System.Runtime.InteropServices;

namespace Pipeline.Receivers.Ebpf.Interop;

internal static partial class Libbpf
{
    /// <summary><c>libbpf_print_fn_t libbpf_set_print(libbpf_print_fn_t fn)</c>: process-wide log callback
    /// <c>int (*)(enum libbpf_print_level, const char *fmt, va_list)</c>; NULL silences libbpf.</summary>
    [LibraryImport(Library, EntryPoint = "libbpf_set_print")]
    internal static unsafe partial nint LibbpfSetPrint(delegate* unmanaged<int, byte*, nint, int> print);
}
