using System.Runtime.InteropServices;

namespace Pipeline.Receivers.Ebpf.Interop;

internal static partial class Libbpf
{
    /// <summary><c>int libbpf_num_possible_cpus(void)</c>: the slot count of per-CPU map values.</summary>
    [LibraryImport(Library, EntryPoint = "libbpf_num_possible_cpus")]
    internal static partial int LibbpfNumPossibleCpus();
}
