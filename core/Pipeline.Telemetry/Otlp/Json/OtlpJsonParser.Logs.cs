using System.Text.Json;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Logs.V1;
using static Pipeline.Telemetry.Otlp.Json.JsonFieldReader;

namespace Pipeline.Telemetry.Otlp.Json;

/// <summary>Log messages.</summary>
internal static partial class OtlpJsonParser
{
    private static readonly string[] SeverityNumberNames =
    [
        "SEVERITY_NUMBER_UNSPECIFIED",
        "SEVERITY_NUMBER_TRACE", "SEVERITY_NUMBER_TRACE2", "SEVERITY_NUMBER_TRACE3", "SEVERITY_NUMBER_TRACE4",
        "SEVERITY_NUMBER_DEBUG", "SEVERITY_NUMBER_DEBUG2", "SEVERITY_NUMBER_DEBUG3", "SEVERITY_NUMBER_DEBUG4",
        "SEVERITY_NUMBER_INFO", "SEVERITY_NUMBER_INFO2", "SEVERITY_NUMBER_INFO3", "SEVERITY_NUMBER_INFO4",
        "SEVERITY_NUMBER_WARN", "SEVERITY_NUMBER_WARN2", "SEVERITY_NUMBER_WARN3", "SEVERITY_NUMBER_WARN4",
        "SEVERITY_NUMBER_ERROR", "SEVERITY_NUMBER_ERROR2", "SEVERITY_NUMBER_ERROR3", "SEVERITY_NUMBER_ERROR4",
        "SEVERITY_NUMBER_FATAL", "SEVERITY_NUMBER_FATAL2", "SEVERITY_NUMBER_FATAL3", "SEVERITY_NUMBER_FATAL4",
    ];

    public static ExportLogsServiceRequest ParseLogsRequest(ref Utf8JsonReader r)
    {
        const string Owner = "ExportLogsServiceRequest";
        var request = new ExportLogsServiceRequest();
        while (NextProperty(ref r))
        {
            if (Is(ref r, "resourceLogs"u8, "resource_logs"u8))
            {
                ReadObjects(ref r, Owner, "resourceLogs", request.ResourceLogs, ParseResourceLogs);
            }
            else
            {
                SkipValue(ref r);
            }
        }

        return request;
    }

    public static ExportLogsServiceResponse ParseLogsResponse(ref Utf8JsonReader r)
    {
        var response = new ExportLogsServiceResponse();
        var partial = ReadExportResponse(ref r, "ExportLogsServiceResponse", "ExportLogsPartialSuccess", "rejectedLogRecords"u8, "rejected_log_records"u8, "rejectedLogRecords");
        if (partial.Present)
        {
            response.PartialSuccess = new ExportLogsPartialSuccess { RejectedLogRecords = partial.Rejected, ErrorMessage = partial.ErrorMessage };
        }

        return response;
    }

    private static ResourceLogs ParseResourceLogs(ref Utf8JsonReader r)
    {
        var message = new ResourceLogs();
        var header = ReadEnvelope(ref r, "ResourceLogs", "scopeLogs"u8, "scope_logs"u8, "scopeLogs", message.ScopeLogs, ParseScopeLogs, "resource"u8, "resource", ParseResource);
        message.Resource = header.Header;
        message.SchemaUrl = header.SchemaUrl;
        return message;
    }

    private static ScopeLogs ParseScopeLogs(ref Utf8JsonReader r)
    {
        var message = new ScopeLogs();
        var header = ReadEnvelope(ref r, "ScopeLogs", "logRecords"u8, "log_records"u8, "logRecords", message.LogRecords, ParseLogRecord, "scope"u8, "scope", ParseScope);
        message.Scope = header.Header;
        message.SchemaUrl = header.SchemaUrl;
        return message;
    }

    private static LogRecord ParseLogRecord(ref Utf8JsonReader r)
    {
        const string Owner = "LogRecord";
        var log = new LogRecord();
        while (NextProperty(ref r))
        {
            if (Is(ref r, "timeUnixNano"u8, "time_unix_nano"u8))
            {
                if (Value(ref r))
                {
                    log.TimeUnixNano = ReadUInt64(ref r, Owner, "timeUnixNano");
                }
            }
            else if (Is(ref r, "observedTimeUnixNano"u8, "observed_time_unix_nano"u8))
            {
                if (Value(ref r))
                {
                    log.ObservedTimeUnixNano = ReadUInt64(ref r, Owner, "observedTimeUnixNano");
                }
            }
            else if (Is(ref r, "severityNumber"u8, "severity_number"u8))
            {
                if (Value(ref r))
                {
                    log.SeverityNumber = (SeverityNumber)ReadEnum(ref r, Owner, "severityNumber", SeverityNumberNames);
                }
            }
            else if (Is(ref r, "severityText"u8, "severity_text"u8))
            {
                if (Value(ref r))
                {
                    log.SeverityText = ReadString(ref r, Owner, "severityText");
                }
            }
            else if (Is(ref r, "body"u8))
            {
                if (BeginObject(ref r, Owner, "body"))
                {
                    log.Body = ParseAnyValue(ref r);
                }
            }
            else if (Is(ref r, "attributes"u8))
            {
                if (Value(ref r))
                {
                    ReadAttributes(ref r, Owner, "attributes", log.Attributes);
                }
            }
            else if (Is(ref r, "droppedAttributesCount"u8, "dropped_attributes_count"u8))
            {
                if (Value(ref r))
                {
                    log.DroppedAttributesCount = ReadUInt32(ref r, Owner, "droppedAttributesCount");
                }
            }
            else if (Is(ref r, "flags"u8))
            {
                if (Value(ref r))
                {
                    log.Flags = ReadUInt32(ref r, Owner, "flags");
                }
            }
            else if (Is(ref r, "traceId"u8, "trace_id"u8))
            {
                if (Value(ref r))
                {
                    log.TraceId = ReadTraceId(ref r, Owner, "traceId");
                }
            }
            else if (Is(ref r, "spanId"u8, "span_id"u8))
            {
                if (Value(ref r))
                {
                    log.SpanId = ReadSpanId(ref r, Owner, "spanId");
                }
            }
            else if (Is(ref r, "eventName"u8, "event_name"u8))
            {
                if (Value(ref r))
                {
                    log.EventName = ReadString(ref r, Owner, "eventName");
                }
            }
            else
            {
                SkipValue(ref r);
            }
        }

        return log;
    }
}
