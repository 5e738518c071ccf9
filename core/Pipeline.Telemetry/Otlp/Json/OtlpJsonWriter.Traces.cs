using System.Text.Json;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace Pipeline.Telemetry.Otlp.Json;

/// <summary>Trace messages.</summary>
internal static partial class OtlpJsonWriter
{
    public static void WriteTraceRequest(Utf8JsonWriter w, ExportTraceServiceRequest request)
    {
        w.WriteStartObject();
        if (request.ResourceSpans.Count != 0)
        {
            w.WriteStartArray("resourceSpans"u8);
            foreach (var rs in request.ResourceSpans)
            {
                WriteResourceSpans(w, rs);
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    public static void WriteTraceResponse(Utf8JsonWriter w, ExportTraceServiceResponse response)
    {
        w.WriteStartObject();
        if (response.PartialSuccess is { } partial)
        {
            w.WriteStartObject("partialSuccess"u8);
            if (partial.RejectedSpans != 0)
            {
                WriteInt64Always(w, "rejectedSpans"u8, partial.RejectedSpans);
            }

            WriteString(w, "errorMessage"u8, partial.ErrorMessage);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteResourceSpans(Utf8JsonWriter w, ResourceSpans rs)
    {
        w.WriteStartObject();
        WriteResource(w, rs.Resource);
        if (rs.ScopeSpans.Count != 0)
        {
            w.WriteStartArray("scopeSpans"u8);
            foreach (var ss in rs.ScopeSpans)
            {
                w.WriteStartObject();
                WriteScope(w, ss.Scope);
                if (ss.Spans.Count != 0)
                {
                    w.WriteStartArray("spans"u8);
                    foreach (var span in ss.Spans)
                    {
                        WriteSpan(w, span);
                    }

                    w.WriteEndArray();
                }

                WriteString(w, "schemaUrl"u8, ss.SchemaUrl);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        WriteString(w, "schemaUrl"u8, rs.SchemaUrl);
        w.WriteEndObject();
    }

    private static void WriteSpan(Utf8JsonWriter w, Span span)
    {
        w.WriteStartObject();
        WriteHex(w, "traceId"u8, span.TraceId);
        WriteHex(w, "spanId"u8, span.SpanId);
        WriteString(w, "traceState"u8, span.TraceState);
        WriteHex(w, "parentSpanId"u8, span.ParentSpanId);
        WriteUInt32(w, "flags"u8, span.Flags);
        WriteString(w, "name"u8, span.Name);
        WriteInt32(w, "kind"u8, (int)span.Kind);
        WriteUInt64(w, "startTimeUnixNano"u8, span.StartTimeUnixNano);
        WriteUInt64(w, "endTimeUnixNano"u8, span.EndTimeUnixNano);
        WriteAttributes(w, "attributes"u8, span.Attributes);
        WriteUInt32(w, "droppedAttributesCount"u8, span.DroppedAttributesCount);
        if (span.Events.Count != 0)
        {
            w.WriteStartArray("events"u8);
            foreach (var e in span.Events)
            {
                w.WriteStartObject();
                WriteUInt64(w, "timeUnixNano"u8, e.TimeUnixNano);
                WriteString(w, "name"u8, e.Name);
                WriteAttributes(w, "attributes"u8, e.Attributes);
                WriteUInt32(w, "droppedAttributesCount"u8, e.DroppedAttributesCount);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        WriteUInt32(w, "droppedEventsCount"u8, span.DroppedEventsCount);
        if (span.Links.Count != 0)
        {
            w.WriteStartArray("links"u8);
            foreach (var link in span.Links)
            {
                w.WriteStartObject();
                WriteHex(w, "traceId"u8, link.TraceId);
                WriteHex(w, "spanId"u8, link.SpanId);
                WriteString(w, "traceState"u8, link.TraceState);
                WriteAttributes(w, "attributes"u8, link.Attributes);
                WriteUInt32(w, "droppedAttributesCount"u8, link.DroppedAttributesCount);
                WriteUInt32(w, "flags"u8, link.Flags);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        WriteUInt32(w, "droppedLinksCount"u8, span.DroppedLinksCount);
        if (span.Status is { } status)
        {
            w.WriteStartObject("status"u8);
            WriteString(w, "message"u8, status.Message);
            WriteInt32(w, "code"u8, (int)status.Code);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }
}
