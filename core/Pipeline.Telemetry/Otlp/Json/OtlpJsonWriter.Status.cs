using System.Globalization;
using System.Text.Json;
using Google.Rpc;

namespace Pipeline.Telemetry.Otlp.Json;

/// <summary><c>google.rpc.Status</c>, the error body of OTLP/HTTP.</summary>
internal static partial class OtlpJsonWriter
{
    public static void WriteRpcStatus(Utf8JsonWriter w, Google.Rpc.Status status)
    {
        w.WriteStartObject();
        WriteInt32(w, "code"u8, status.Code);
        WriteString(w, "message"u8, status.Message);
        bool started = false;
        foreach (var detail in status.Details)
        {
            // Only RetryInfo can be written without a type registry; other details are left out.
            if (detail.TypeUrl != OtlpJsonParser.RetryInfoTypeUrl || !detail.TryUnpack(out RetryInfo info))
            {
                continue;
            }

            if (!started)
            {
                w.WriteStartArray("details"u8);
                started = true;
            }

            w.WriteStartObject();
            w.WriteString("@type"u8, OtlpJsonParser.RetryInfoTypeUrl);
            if (info.RetryDelay is { } delay)
            {
                decimal seconds = delay.Seconds + (delay.Nanos / 1_000_000_000m);
                w.WriteString("retryDelay"u8, seconds.ToString("0.#########", CultureInfo.InvariantCulture) + "s");
            }

            w.WriteEndObject();
        }

        if (started)
        {
            w.WriteEndArray();
        }

        w.WriteEndObject();
    }
}
