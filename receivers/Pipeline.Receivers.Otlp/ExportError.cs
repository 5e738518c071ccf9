using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Pipeline.Abstractions;

namespace Pipeline.Receivers.Otlp;

/// <summary>
/// A refused export, as the status both transports answer with (otelcol's <c>internal/errors</c>): a consumer error
/// with no status is Unavailable (retryable), a permanent one is Internal with <c>Permanent error: </c> in front.
/// </summary>
/// <param name="Code">The gRPC status code.</param>
/// <param name="Message">The status message.</param>
/// <param name="RetryAfter">The retry hint (RetryInfo / Retry-After), if any.</param>
internal sealed record ExportError(StatusCode Code, string Message, TimeSpan? RetryAfter)
{
    private const string RetryInfoTypeUrl = "type.googleapis.com/google.rpc.RetryInfo";

    /// <summary>Maps what a consumer threw.</summary>
    public static ExportError From(Exception exception) => exception switch
    {
        ConsumerException c => new(c.Code == StatusCode.OK ? StatusCode.Unknown : c.Code, c.Message, c.RetryAfter),
        RpcException r => new(r.StatusCode == StatusCode.OK ? StatusCode.Unknown : r.StatusCode, r.Status.Detail, null),
        PermanentException p => new(StatusCode.Internal, "Permanent error: " + p.Message, null),
        _ => new(StatusCode.Unavailable, exception.Message, null),
    };

    /// <summary>The HTTP status for a gRPC code (otelcol's <c>GetHTTPStatusCodeFromStatus</c>).</summary>
    public static int HttpStatusOf(StatusCode code) => code switch
    {
        StatusCode.Cancelled or StatusCode.DeadlineExceeded or StatusCode.Aborted or StatusCode.OutOfRange
            or StatusCode.Unavailable or StatusCode.DataLoss => 503,
        StatusCode.ResourceExhausted => 429,
        StatusCode.InvalidArgument => 400,
        StatusCode.Unauthenticated => 401,
        StatusCode.PermissionDenied => 403,
        StatusCode.Unimplemented => 404,
        _ => 500,
    };

    /// <summary>The HTTP status of this error.</summary>
    public int HttpStatus => HttpStatusOf(Code);

    /// <summary>The <c>google.rpc.Status</c>, with a RetryInfo detail when there is a retry hint.</summary>
    public Google.Rpc.Status ToStatus()
    {
        var status = new Google.Rpc.Status { Code = (int)Code, Message = Message };
        if (RetryAfter is { } delay)
        {
            var info = new Google.Rpc.RetryInfo { RetryDelay = Duration.FromTimeSpan(delay) };
            status.Details.Add(new Any { TypeUrl = RetryInfoTypeUrl, Value = info.ToByteString() });
        }

        return status;
    }

    /// <summary>The exception Grpc.AspNetCore turns into this status (RetryInfo goes in <c>grpc-status-details-bin</c>).</summary>
    public RpcException ToRpcException()
    {
        var trailers = new Metadata();
        if (RetryAfter is not null)
        {
            trailers.Add("grpc-status-details-bin", ToStatus().ToByteArray());
        }

        return new RpcException(new Status(Code, Message), trailers);
    }
}
