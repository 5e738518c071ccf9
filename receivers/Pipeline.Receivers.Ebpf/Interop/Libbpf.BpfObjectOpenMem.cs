using System.Runtime.InteropServices;

namespace Pipeline.Receivers.Ebpf.Interop;

internal static partial class Libbpf
{
    /// <summary><c>struct bpf_object *bpf_object__open_mem(const void *obj_buf, size_t obj_buf_sz, const struct bpf_object_open_opts *opts)</c>: parses an ELF object held in memory.</summary>
    [LibraryImport(Library, EntryPoint = "bpf_object__open_mem", SetLastError = true)]
    internal static unsafe partial nint BpfObjectOpenMem(byte* objBuf, nuint objBufSize, nint opts);
}
