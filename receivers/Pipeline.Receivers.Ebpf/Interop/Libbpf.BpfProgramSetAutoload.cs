using System.Runtime.InteropServices;

namespace Pipeline.Receivers.Ebpf.Interop;

internal static partial class Libbpf
{
    /// <summary><c>int bpf_program__set_autoload(struct bpf_program *prog, bool autoload)</c>: before load, skips a program.</summary>
    [LibraryImport(Library, EntryPoint = "bpf_program__set_autoload")]
    internal static partial int BpfProgramSetAutoload(nint prog, [MarshalAs(UnmanagedType.U1)] bool autoload);
}
