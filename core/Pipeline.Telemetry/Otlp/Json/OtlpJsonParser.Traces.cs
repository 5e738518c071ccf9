using System.Text.Json;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Trace.V1;
using static Pipeline.Telemetry.Otlp.Json.JsonFieldReader;

namespace Pipeline.Telemetry.Otlp.Json;

/// <summary>Trace messages.</summary>
internal static partial class OtlpJsonParser
{
    private static readonly string[] SpanKindNames =
    [
        "SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER", "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER",
        "SPAN_KIND_CONSUMER",
    ];

    private static readonly string[] StatusCodeNames = ["STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"];

    public static ExportTraceServiceRequest ParseTraceRequest(ref Utf8JsonReader r)
    {
        const string Owner = "ExportTraceServiceRequest";
        var request = new ExportTraceServiceRequest();
        while (NextProperty(ref r))
        {
            if (Is(ref r, "resourceSpans"u8, "resource_spans"u8))
            {
                ReadObjects(ref r, Owner, "resourceSpans", request.ResourceSpans, ParseResourceSpans);
            }
            else
            {
                SkipValue(ref r);
            }
        }

        return request;
    }

    public static ExportTraceServiceResponse ParseTraceResponse(ref Utf8JsonReader r)
    {
        var response = new ExportTraceServiceResponse();
        var partial = ReadExportResponse(ref r, "ExportTraceServiceResponse", "ExportTracePartialSuccess", "rejectedSpans"u8, "rejected_spans"u8, "rejectedSpans");
        if (partial.Present)
        {
            response.PartialSuccess = new ExportTracePartialSuccess { RejectedSpans = partial.Rejected, ErrorMessage = partial.ErrorMessage };
        }

        return response;
    }

    private static ResourceSpans ParseResourceSpans(ref Utf8JsonReader r)
    {
        var message = new ResourceSpans();
        var header = ReadEnvelope(ref r, "ResourceSpans", "scopeSpans"u8, "scope_spans"u8, "scopeSpans", message.ScopeSpans, ParseScopeSpans, "resource"u8, "resource", ParseResource);
        message.Resource = header.Header;
        message.SchemaUrl = header.SchemaUrl;
        return message;
    }

    private static ScopeSpans ParseScopeSpans(ref Utf8JsonReader r)
    {
        var message = new ScopeSpans();
        var header = ReadEnvelope(ref r, "ScopeSpans", "spans"u8, "spans"u8, "spans", message.Spans, ParseSpan, "scope"u8, "scope", ParseScope);
        message.Scope = header.Header;
        message.SchemaUrl = header.SchemaUrl;
        return message;
    }

    private static Span ParseSpan(ref Utf8JsonReader r)
    {
        const string Owner = "Span";
        var span = new Span();
        while (NextProperty(ref r))
        {
            if (Is(ref r, "traceId"u8, "trace_id"u8))
            {
                if (Value(ref r))
                {
                    span.TraceId = ReadTraceId(ref r, Owner, "traceId");
                }
            }
            else if (Is(ref r, "spanId"u8, "span_id"u8))
            {
                if (Value(ref r))
                {
                    span.SpanId = ReadSpanId(ref r, Owner, "spanId");
                }
            }
            else if (Is(ref r, "parentSpanId"u8, "parent_span_id"u8))
            {
                if (Value(ref r))
                {
                    span.ParentSpanId = ReadSpanId(ref r, Owner, "parentSpanId");
                }
            }
            else if (Is(ref r, "name"u8))
            {
                if (Value(ref r))
                {
                    span.Name = ReadString(ref r, Owner, "name");
                }
            }
            else if (Is(ref r, "kind"u8))
            {
                if (Value(ref r))
                {
                    span.Kind = (Span.Types.SpanKind)ReadEnum(ref r, Owner, "kind", SpanKindNames);
                }
            }
            else if (Is(ref r, "startTimeUnixNano"u8, "start_time_unix_nano"u8))
            {
                if (Value(ref r))
                {
                    span.StartTimeUnixNano = ReadUInt64(ref r, Owner, "startTimeUnixNano");
                }
            }
            else if (Is(ref r, "endTimeUnixNano"u8, "end_time_unix_nano"u8))
            {
                if (Value(ref r))
                {
                    span.EndTimeUnixNano = ReadUInt64(ref r, Owner, "endTimeUnixNano");
                }
            }
            else if (Is(ref r, "attributes"u8))
            {
                if (Value(ref r))
                {
                    ReadAttributes(ref r, Owner, "attributes", span.Attributes);
                }
            }
            else if (Is(ref r, "status"u8))
            {
                if (BeginObject(ref r, Owner, "status"))
                {
                    span.Status = ParseStatus(ref r);
                }
            }
            else if (Is(ref r, "traceState"u8, "trace_state"u8))
            {
                if (Value(ref r))
                {
                    span.TraceState = ReadString(ref r, Owner, "traceState");
                }
            }
            else if (Is(ref r, "flags"u8))
            {
                if (Value(ref r))
                {
                    span.Flags = ReadUInt32(ref r, Owner, "flags");
                }
            }
            else if (Is(ref r, "droppedAttributesCount"u8, "dropped_attributes_count"u8))
            {
                if (Value(ref r))
                {
                    span.DroppedAttributesCount = ReadUInt32(ref r, Owner, "droppedAttributesCount");
                }
            }
            else if (Is(ref r, "events"u8))
            {
                ReadObjects(ref r, Owner, "events", span.Events, ParseEvent);
            }
            else if (Is(ref r, "droppedEventsCount"u8, "dropped_events_count"u8))
            {
                if (Value(ref r))
                {
                    span.DroppedEventsCount = ReadUInt32(ref r, Owner, "droppedEventsCount");
                }
            }
            else if (Is(ref r, "links"u8))
            {
                ReadObjects(ref r, Owner, "links", span.Links, ParseLink);
            }
            else if (Is(ref r, "droppedLinksCount"u8, "dropped_links_count"u8))
            {
                if (Value(ref r))
                {
                    span.DroppedLinksCount = ReadUInt32(ref r, Owner, "droppedLinksCount");
                }
            }
            else
            {
                SkipValue(ref r);
            }
        }

        return span;
    }

    private static Status ParseStatus(ref Utf8JsonReader r)
    {
        const string Owner = "Status";
        var status = new Status();
        while (NextProperty(ref r))
        {
            if (Is(ref r, "code"u8))
            {
                if (Value(ref r))
                {
                    status.Code = (Status.Types.StatusCode)ReadEnum(ref r, Owner, "code", StatusCodeNames);
                }
            }
            else if (Is(ref r, "message"u8))
            {
                if (Value(ref r))
                {
                    status.Message = ReadString(ref r, Owner, "message");
                }
            }
            else
            {
                SkipValue(ref r);
            }
        }

        return status;
    }

    private static Span.Types.Event ParseEvent(ref Utf8JsonReader r)
    {
        const string Owner = "Span.Event";
        var e = new Span.Types.Event();
        while (NextProperty(ref r))
        {
            if (Is(ref r, "timeUnixNano"u8, "time_unix_nano"u8))
            {
                if (Value(ref r))
                {
                    e.TimeUnixNano = ReadUInt64(ref r, Owner, "timeUnixNano");
                }
            }
            else if (Is(ref r, "name"u8))
            {
                if (Value(ref r))
                {
                    e.Name = ReadString(ref r, Owner, "name");
                }
            }
            else if (Is(ref r, "attributes"u8))
            {
                if (Value(ref r))
                {
                    ReadAttributes(ref r, Owner, "attributes", e.Attributes);
                }
            }
            else if (Is(ref r, "droppedAttributesCount"u8, "dropped_attributes_count"u8))
            {
                if (Value(ref r))
                {
                    e.DroppedAttributesCount = ReadUInt32(ref r, Owner, "droppedAttributesCount");
                }
            }
            else
            {
                SkipValue(ref r);
            }
        }

        return e;
    }

    private static Span.Types.Link ParseLink(ref Utf8JsonReader r)
    {
        const string Owner = "Span.Link";
        var link = new Span.Types.Link();
        while (NextProperty(ref r))
        {
            if (Is(ref r, "traceId"u8, "trace_id"u8))
            {
                if (Value(ref r))
                {
                    link.TraceId = ReadTraceId(ref r, Owner, "traceId");
                }
            }
            else if (Is(ref r, "spanId"u8, "span_id"u8))
            {
                if (Value(ref r))
                {
                    link.SpanId = ReadSpanId(ref r, Owner, "spanId");
                }
            }
            else if (Is(ref r, "traceState"u8, "trace_state"u8))
            {
                if (Value(ref r))
                {
                    link.TraceState = ReadString(ref r, Owner, "traceState");
                }
            }
            else if (Is(ref r, "attributes"u8))
            {
                if (Value(ref r))
                {
                    ReadAttributes(ref r, Owner, "attributes", link.Attributes);
                }
            }
            else if (Is(ref r, "droppedAttributesCount"u8, "dropped_attributes_count"u8))
            {
                if (Value(ref r))
                {
                    link.DroppedAttributesCount = ReadUInt32(ref r, Owner, "droppedAttributesCount");
                }
            }
            else if (Is(ref r, "flags"u8))
            {
                if (Value(ref r))
                {
                    link.Flags = ReadUInt32(ref r, Owner, "flags");
                }
            }
            else
            {
                SkipValue(ref r);
            }
        }

        return link;
    }
}
