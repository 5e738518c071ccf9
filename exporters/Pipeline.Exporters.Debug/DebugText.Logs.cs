using System.Text;
using OpenTelemetry.Proto.Logs.V1;
using Pipeline.Telemetry;

namespace Pipeline.Exporters.Debug;

/// <summary>Logs text.</summary>
internal static partial class DebugText
{
    private static readonly string[] SeverityNames =
    [
        "Unspecified", "Trace", "Trace2", "Trace3", "Trace4", "Debug", "Debug2", "Debug3", "Debug4",
        "Info", "Info2", "Info3", "Info4", "Warn", "Warn2", "Warn3", "Warn4",
        "Error", "Error2", "Error3", "Error4", "Fatal", "Fatal2", "Fatal3", "Fatal4",
    ];

    private static string LogsSummary(Logs logs) =>
        $"Logs {{\"resource logs\": {logs.Request.ResourceLogs.Count}, \"log records\": {logs.ItemCount}}}";

    private static string LogsNormal(Logs logs)
    {
        var text = new StringBuilder();
        var resources = logs.Request.ResourceLogs;
        for (int r = 0; r < resources.Count; r++)
        {
            AppendNormalResource(text, "ResourceLog", r, resources[r].Resource);
            var scopes = resources[r].ScopeLogs;
            for (int s = 0; s < scopes.Count; s++)
            {
                AppendNormalScope(text, "ScopeLog", s, scopes[s].Scope);
                foreach (var record in scopes[s].LogRecords)
                {
                    AppendPlain(text, record.Body);
                    if (record.Attributes.Count > 0)
                    {
                        text.Append(' ');
                        AppendInlineAttributes(text, record.Attributes);
                    }

                    text.Append('\n');
                }
            }
        }

        return text.ToString();
    }

    private static string LogsDetailed(Logs logs)
    {
        var text = new StringBuilder();
        var resources = logs.Request.ResourceLogs;
        for (int r = 0; r < resources.Count; r++)
        {
            AppendResource(text, "ResourceLog", r, resources[r].Resource, resources[r].SchemaUrl);
            var scopes = resources[r].ScopeLogs;
            for (int s = 0; s < scopes.Count; s++)
            {
                AppendScope(text, "ScopeLogs", s, scopes[s].Scope, scopes[s].SchemaUrl);
                var records = scopes[s].LogRecords;
                for (int i = 0; i < records.Count; i++)
                {
                    AppendLogRecord(text, i, records[i]);
                }
            }
        }

        return text.ToString();
    }

    private static void AppendLogRecord(StringBuilder text, int index, LogRecord record)
    {
        int severity = (int)record.SeverityNumber;
        string severityName = (uint)severity < (uint)SeverityNames.Length ? SeverityNames[severity] : "Unknown";
        text.Append("LogRecord #").Append(index).Append('\n');
        text.Append("ObservedTimestamp: ").Append(Time(record.ObservedTimeUnixNano)).Append('\n');
        text.Append("Timestamp: ").Append(Time(record.TimeUnixNano)).Append('\n');
        text.Append("SeverityText: ").Append(record.SeverityText).Append('\n');
        text.Append("SeverityNumber: ").Append(severityName).Append('(').Append(severity).Append(")\n");
        if (record.EventName.Length > 0)
        {
            text.Append("EventName: ").Append(record.EventName).Append('\n');
        }

        text.Append("Body: ");
        AppendValue(text, record.Body);
        text.Append('\n');
        AppendAttributeBlock(text, "Attributes", record.Attributes);
        if (record.DroppedAttributesCount > 0)
        {
            text.Append("DroppedAttributesCount: ").Append(record.DroppedAttributesCount).Append('\n');
        }

        text.Append("Trace ID: ").Append(Hex(record.TraceId)).Append('\n');
        text.Append("Span ID: ").Append(Hex(record.SpanId)).Append('\n');
        text.Append("Flags: ").Append(record.Flags).Append('\n');
    }
}
