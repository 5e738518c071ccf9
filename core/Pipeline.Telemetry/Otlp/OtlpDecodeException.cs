namespace Pipeline.Telemetry.Otlp;

/// <summary>An OTLP payload (protobuf or JSON) that cannot be decoded; the message says what and where.</summary>
public sealed class OtlpDecodeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public OtlpDecodeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public OtlpDecodeException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
