using Grpc.Core;

namespace Pipeline.Abstractions;

/// <summary>
/// A refusal carrying a gRPC status, so receivers answer exactly as otelcol does (e.g. ResourceExhausted → 429,
/// Unavailable → 503) and exporters know whether to retry.
/// </summary>
public class ConsumerException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConsumerException(StatusCode code, string message, TimeSpan? retryAfter = null)
        : base(message)
    {
        Code = code;
        RetryAfter = retryAfter;
    }

    /// <summary>The gRPC status code of the refusal.</summary>
    public StatusCode Code { get; }

    /// <summary>The server's retry hint (gRPC RetryInfo or HTTP Retry-After), if any.</summary>
    public TimeSpan? RetryAfter { get; }
}
