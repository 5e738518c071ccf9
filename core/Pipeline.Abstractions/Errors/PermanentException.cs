namespace Pipeline.Abstractions;

/// <summary>The data is bad and retrying will not help (consumererror.Permanent).</summary>
public class PermanentException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PermanentException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public PermanentException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
