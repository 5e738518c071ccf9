namespace Pipeline.Receivers.Ebpf.Native;

/// <summary>A libbpf call failed; carries the call and the (positive) errno.</summary>
internal sealed class BpfException : Exception
{
    public BpfException(string call, int error)
        : base(call + " failed: " + Describe(error) + ".")
    {
        Call = call;
        Errno = error < 0 ? -error : error;
    }

    public BpfException(string message, Exception inner)
        : base(message, inner)
    {
        Call = string.Empty;
    }

    /// <summary>The libbpf function.</summary>
    public string Call { get; }

    /// <summary>The errno (positive).</summary>
    public int Errno { get; }

    /// <summary>errno as <c>EPERM (1)</c>-style text.</summary>
    public static string Describe(int error)
    {
        int e = error < 0 ? -error : error;
        string name = e switch
        {
            1 => "EPERM",
            2 => "ENOENT",
            7 => "E2BIG",
            12 => "ENOMEM",
            13 => "EACCES",
            16 => "EBUSY",
            22 => "EINVAL",
            95 => "EOPNOTSUPP",
            _ => "errno",
        };
        return name + " (" + e + ")";
    }
}
