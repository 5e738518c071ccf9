using Google.Rpc;
using Grpc.Core;
using Pipeline.Abstractions;

namespace Pipeline.Exporters.OtlpGrpc;

/// <summary>
/// Turns a failed call into the chain's error kinds as otelcol's otlpexporter does: Canceled, DeadlineExceeded,
/// Aborted, OutOfRange, Unavailable and DataLoss are retryable; ResourceExhausted only when the server attached
/// <c>RetryInfo</c>; every other code is permanent. A <c>RetryInfo.retry_delay</c> becomes the retry floor.
/// </summary>
internal static class GrpcErrors
{
    /// <summary>The trailer carrying a serialized google.rpc.Status with details.</summary>
    public const string StatusDetailsTrailer = "grpc-status-details-bin";

    private const string RetryInfoTypeUrl = "type.googleapis.com/google.rpc.RetryInfo";

    public static Exception Classify(RpcException error)
    {
        // grpc-dotnet reports a failure to connect (refused, TLS handshake) as Internal with the HttpRequestException
        // attached; grpc-go, and so otelcol, see Unavailable there and retry.
        var code = error.StatusCode == StatusCode.Internal && error.Status.DebugException is HttpRequestException or IOException
            ? StatusCode.Unavailable
            : error.StatusCode;
        string message = $"rpc error: code = {CodeName(code)} desc = {error.Status.Detail}";
        var retryAfter = RetryDelay(error.Trailers);
        return code switch
        {
            StatusCode.Cancelled or StatusCode.DeadlineExceeded or StatusCode.Aborted or StatusCode.OutOfRange
                or StatusCode.Unavailable or StatusCode.DataLoss => new ConsumerException(code, message, retryAfter),
            StatusCode.ResourceExhausted when retryAfter is not null => new ConsumerException(error.StatusCode, message, retryAfter),
            _ => new PermanentException(message, error),
        };
    }

    /// <summary>Go's names for codes (grpc-go spells Canceled with one l).</summary>
    public static string CodeName(StatusCode code) => code == StatusCode.Cancelled ? "Canceled" : code.ToString();

    /// <summary>The <c>RetryInfo.retry_delay</c> in the status details trailer, if any.</summary>
    public static TimeSpan? RetryDelay(Metadata? trailers)
    {
        var entry = trailers?.Get(StatusDetailsTrailer);
        if (entry is null || !entry.IsBinary)
        {
            return null;
        }

        try
        {
            var status = Google.Rpc.Status.Parser.ParseFrom(entry.ValueBytes);
            foreach (var detail in status.Details)
            {
                if (detail.TypeUrl == RetryInfoTypeUrl)
                {
                    var info = RetryInfo.Parser.ParseFrom(detail.Value);
                    return info.RetryDelay?.ToTimeSpan() ?? TimeSpan.Zero;
                }
            }
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            // A malformed details trailer is ignored, as grpc-go's status.FromError does.
        }

        return null;
    }
}
