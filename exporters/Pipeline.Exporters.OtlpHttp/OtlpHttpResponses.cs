using System.Globalization;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using Pipeline.Telemetry;

namespace Pipeline.Exporters.OtlpHttp;

/// <summary>Reads OTLP/HTTP response bodies: <c>partial_success</c> on 2xx, google.rpc.Status on errors (proto or JSON).</summary>
internal static class OtlpHttpResponses
{
    /// <summary>Parses a 2xx body's partial success. Returns (0, "") for an empty body.</summary>
    /// <exception cref="InvalidProtocolBufferException">A protobuf body is malformed.</exception>
    /// <exception cref="JsonException">A JSON body is malformed.</exception>
    public static (long Rejected, string Message) ParsePartialSuccess(Signal signal, ReadOnlySpan<byte> body, bool json)
    {
        if (body.IsEmpty)
        {
            return (0, string.Empty);
        }

        if (json)
        {
            return ParseJsonPartialSuccess(body);
        }

        switch (signal)
        {
            case Signal.Traces:
                var traces = ExportTraceServiceResponse.Parser.ParseFrom(body);
                return traces.PartialSuccess is { } t ? (t.RejectedSpans, t.ErrorMessage) : (0, string.Empty);
            case Signal.Metrics:
                var metrics = ExportMetricsServiceResponse.Parser.ParseFrom(body);
                return metrics.PartialSuccess is { } m ? (m.RejectedDataPoints, m.ErrorMessage) : (0, string.Empty);
            default:
                var logs = ExportLogsServiceResponse.Parser.ParseFrom(body);
                return logs.PartialSuccess is { } l ? (l.RejectedLogRecords, l.ErrorMessage) : (0, string.Empty);
        }
    }

    /// <summary>
    /// The <c>, Message=..., Details=[...]</c> suffix from an error body holding a google.rpc.Status, or empty when
    /// the body is not one.
    /// </summary>
    public static string DescribeStatus(ReadOnlySpan<byte> body, bool json)
    {
        if (body.IsEmpty)
        {
            return string.Empty;
        }

        try
        {
            if (json)
            {
                return DescribeJsonStatus(body);
            }

            var status = Google.Rpc.Status.Parser.ParseFrom(body);
            var details = new StringBuilder("[");
            for (int i = 0; i < status.Details.Count; i++)
            {
                details.Append(i == 0 ? string.Empty : " ").Append(status.Details[i].TypeUrl);
            }

            return $", Message={status.Message}, Details={details.Append(']')}";
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or JsonException)
        {
            return string.Empty;
        }
    }

    private static (long Rejected, string Message) ParseJsonPartialSuccess(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        long rejected = 0;
        string message = string.Empty;
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("expected a JSON object");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool partial = reader.ValueTextEquals("partialSuccess") || reader.ValueTextEquals("partial_success");
            reader.Read();
            if (!partial || reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!;
                reader.Read();
                if (name.StartsWith("rejected", StringComparison.Ordinal))
                {
                    rejected = reader.TokenType == JsonTokenType.String
                        ? long.Parse(reader.GetString()!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)
                        : reader.GetInt64();
                }
                else if (name is "errorMessage" or "error_message")
                {
                    message = reader.GetString() ?? string.Empty;
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        return (rejected, message);
    }

    private static string DescribeJsonStatus(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        string message = string.Empty;
        var details = new StringBuilder("[");
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return string.Empty;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            reader.Read();
            if (name == "message" && reader.TokenType == JsonTokenType.String)
            {
                message = reader.GetString()!;
            }
            else if (name == "details" && reader.TokenType == JsonTokenType.StartArray)
            {
                int n = 0;
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        bool type = reader.ValueTextEquals("@type");
                        reader.Read();
                        if (type && reader.TokenType == JsonTokenType.String)
                        {
                            details.Append(n++ == 0 ? string.Empty : " ").Append(reader.GetString());
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return $", Message={message}, Details={details.Append(']')}";
    }
}
