using System.Runtime.InteropServices;
using Pipeline.Receivers.Ebpf.Interop;

namespace Pipeline.Receivers.Ebpf.Native;

/// <summary>Owns a <c>struct bpf_object</c> and the native copy of the ELF image it was opened from (libbpf reads
/// that image until load finishes). Closing releases every map and program fd of the object.</summary>
internal sealed class BpfObjectHandle : SafeHandle
{
    private unsafe byte* _image;

    public BpfObjectHandle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>Opens an object from an ELF image; throws with libbpf's errno when it cannot be parsed.</summary>
    public static unsafe BpfObjectHandle Open(ReadOnlySpan<byte> elf)
    {
        byte* image = (byte*)NativeMemory.Alloc((nuint)elf.Length);
        elf.CopyTo(new Span<byte>(image, elf.Length));
        nint obj = Libbpf.BpfObjectOpenMem(image, (nuint)elf.Length, 0);
        if (obj == 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            NativeMemory.Free(image);
            throw new BpfException("bpf_object__open_mem", -errno);
        }

        var result = new BpfObjectHandle();
        result.SetHandle(obj);
        result._image = image;
        return result;
    }

    protected override unsafe bool ReleaseHandle()
    {
        Libbpf.BpfObjectClose(handle);
        NativeMemory.Free(_image);
        _image = null;
        return true;
    }
}
