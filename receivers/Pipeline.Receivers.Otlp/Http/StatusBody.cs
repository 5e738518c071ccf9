using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Google.Protobuf;

namespace Pipeline.Receivers.Otlp.Http;

/// <summary>Encodes a <c>google.rpc.Status</c> as otelcol answers errors: protobuf, or protojson for JSON requests.</summary>
internal static class StatusBody
{
    /// <summary>The encoded status.</summary>
    public static byte[] Encode(Google.Rpc.Status status, bool json)
    {
        if (!json)
        {
            return status.ToByteArray();
        }

        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (status.Code != 0)
            {
                writer.WriteNumber("code", status.Code);
            }

            if (status.Message.Length > 0)
            {
                writer.WriteString("message", status.Message);
            }

            if (status.Details.Count > 0)
            {
                writer.WriteStartArray("details");
                foreach (var detail in status.Details)
                {
                    writer.WriteStartObject();
                    writer.WriteString("@type", detail.TypeUrl);
                    if (detail.TryUnpack<Google.Rpc.RetryInfo>(out var info) && info.RetryDelay is not null)
                    {
                        writer.WriteString("retryDelay", FormatDuration(info.RetryDelay.Seconds, info.RetryDelay.Nanos));
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    // protojson's Duration: seconds with 0, 3, 6 or 9 fractional digits and an "s".
    private static string FormatDuration(long seconds, int nanos)
    {
        string whole = seconds.ToString(CultureInfo.InvariantCulture);
        if (nanos == 0)
        {
            return whole + "s";
        }

        string fraction = nanos % 1_000_000 == 0 ? (nanos / 1_000_000).ToString("D3", CultureInfo.InvariantCulture)
            : nanos % 1_000 == 0 ? (nanos / 1_000).ToString("D6", CultureInfo.InvariantCulture)
            : nanos.ToString("D9", CultureInfo.InvariantCulture);
        return whole + "." + fraction + "s";
    }
}
