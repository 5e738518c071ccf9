using System.Globalization;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using static Pipeline.Telemetry.Otlp.Json.JsonFieldReader;

namespace Pipeline.Telemetry.Otlp.Json;

/// <summary><c>google.rpc.Status</c>, the error body of OTLP/HTTP.</summary>
internal static partial class OtlpJsonParser
{
    /// <summary>The Any type URL of <c>google.rpc.RetryInfo</c>, the only status detail OTLP gives a meaning to.</summary>
    public const string RetryInfoTypeUrl = "type.googleapis.com/google.rpc.RetryInfo";

    public static Google.Rpc.Status ParseRpcStatus(ref Utf8JsonReader r)
    {
        const string Owner = "google.rpc.Status";
        var status = new Google.Rpc.Status();
        while (NextProperty(ref r))
        {
            if (Is(ref r, "code"u8))
            {
                if (Value(ref r))
                {
                    status.Code = ReadInt32(ref r, Owner, "code");
                }
            }
            else if (Is(ref r, "message"u8))
            {
                if (Value(ref r))
                {
                    status.Message = ReadString(ref r, Owner, "message");
                }
            }
            else if (Is(ref r, "details"u8))
            {
                if (BeginArray(ref r, Owner, "details"))
                {
                    while (NextObject(ref r, Owner, "details"))
                    {
                        var detail = ParseDetail(ref r);
                        if (detail is not null)
                        {
                            status.Details.Add(detail);
                        }
                    }
                }
            }
            else
            {
                SkipValue(ref r);
            }
        }

        return status;
    }

    /// <summary>Parses one <c>Any</c> detail; only RetryInfo is understood, other types are dropped.</summary>
    private static Any? ParseDetail(ref Utf8JsonReader r)
    {
        const string Owner = "google.protobuf.Any";
        string? type = null;
        Duration? delay = null;
        while (NextProperty(ref r))
        {
            if (Is(ref r, "@type"u8))
            {
                if (Value(ref r))
                {
                    type = ReadString(ref r, Owner, "@type");
                }
            }
            else if (Is(ref r, "retryDelay"u8, "retry_delay"u8))
            {
                if (Value(ref r))
                {
                    delay = ReadDuration(ref r, "google.rpc.RetryInfo", "retryDelay");
                }
            }
            else
            {
                SkipValue(ref r);
            }
        }

        if (type != RetryInfoTypeUrl)
        {
            return null;
        }

        return Any.Pack(new RetryInfo { RetryDelay = delay });
    }

    /// <summary>Reads a protobuf JSON duration: decimal seconds with an "s" suffix, e.g. "1.5s".</summary>
    private static Duration ReadDuration(ref Utf8JsonReader r, string owner, string field)
    {
        string s = ReadString(ref r, owner, field);
        if (s.Length > 1 && s[^1] == 's'
            && decimal.TryParse(s.AsSpan(0, s.Length - 1), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out decimal seconds)
            && Math.Abs(seconds) <= 315_576_000_000m)
        {
            long whole = (long)decimal.Truncate(seconds);
            int nanos = (int)((seconds - whole) * 1_000_000_000m);
            return new Duration { Seconds = whole, Nanos = nanos };
        }

        throw Error(ref r, owner, field, $"must be a duration such as \"1.5s\", got \"{s}\"");
    }
}
