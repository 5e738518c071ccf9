using System.Text.Json;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Logs.V1;

namespace Pipeline.Telemetry.Otlp.Json;

/// <summary>Log messages.</summary>
internal static partial class OtlpJsonWriter
{
    public static void WriteLogsRequest(Utf8JsonWriter w, ExportLogsServiceRequest request)
    {
        w.WriteStartObject();
        if (request.ResourceLogs.Count != 0)
        {
            w.WriteStartArray("resourceLogs"u8);
            foreach (var rl in request.ResourceLogs)
            {
                WriteResourceLogs(w, rl);
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    public static void WriteLogsResponse(Utf8JsonWriter w, ExportLogsServiceResponse response)
    {
        w.WriteStartObject();
        if (response.PartialSuccess is { } partial)
        {
            w.WriteStartObject("partialSuccess"u8);
            if (partial.RejectedLogRecords != 0)
            {
                WriteInt64Always(w, "rejectedLogRecords"u8, partial.RejectedLogRecords);
            }

            WriteString(w, "errorMessage"u8, partial.ErrorMessage);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteResourceLogs(Utf8JsonWriter w, ResourceLogs rl)
    {
        w.WriteStartObject();
        WriteResource(w, rl.Resource);
        if (rl.ScopeLogs.Count != 0)
        {
            w.WriteStartArray("scopeLogs"u8);
            foreach (var sl in rl.ScopeLogs)
            {
                w.WriteStartObject();
                WriteScope(w, sl.Scope);
                if (sl.LogRecords.Count != 0)
                {
                    w.WriteStartArray("logRecords"u8);
                    foreach (var log in sl.LogRecords)
                    {
                        WriteLogRecord(w, log);
                    }

                    w.WriteEndArray();
                }

                WriteString(w, "schemaUrl"u8, sl.SchemaUrl);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        WriteString(w, "schemaUrl"u8, rl.SchemaUrl);
        w.WriteEndObject();
    }

    private static void WriteLogRecord(Utf8JsonWriter w, LogRecord log)
    {
        w.WriteStartObject();
        WriteUInt64(w, "timeUnixNano"u8, log.TimeUnixNano);
        WriteUInt64(w, "observedTimeUnixNano"u8, log.ObservedTimeUnixNano);
        WriteInt32(w, "severityNumber"u8, (int)log.SeverityNumber);
        WriteString(w, "severityText"u8, log.SeverityText);
        if (log.Body is not null)
        {
            w.WritePropertyName("body"u8);
            WriteAnyValue(w, log.Body);
        }

        WriteAttributes(w, "attributes"u8, log.Attributes);
        WriteUInt32(w, "droppedAttributesCount"u8, log.DroppedAttributesCount);
        WriteUInt32(w, "flags"u8, log.Flags);
        WriteHex(w, "traceId"u8, log.TraceId);
        WriteHex(w, "spanId"u8, log.SpanId);
        WriteString(w, "eventName"u8, log.EventName);
        w.WriteEndObject();
    }
}
