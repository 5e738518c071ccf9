using Google.Protobuf;
using Google.Protobuf.Collections;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Metrics.V1;
using Pipeline.Processors.Common;

namespace Pipeline.Processors.Ottl;

/// <summary>Every path the compiler knows, named by owning context and field.</summary>
internal enum PathField
{
    ResourceAttributes,
    ResourceDroppedAttributesCount,
    ScopeName,
    ScopeVersion,
    ScopeAttributes,
    ScopeDroppedAttributesCount,
    SpanName,
    SpanKind,
    SpanStatusCode,
    SpanStatusMessage,
    SpanAttributes,
    SpanTraceId,
    SpanTraceIdString,
    SpanSpanId,
    SpanSpanIdString,
    SpanParentSpanId,
    SpanParentSpanIdString,
    SpanStartTimeUnixNano,
    SpanEndTimeUnixNano,
    SpanTraceState,
    SpanDroppedAttributesCount,
    SpanDroppedEventsCount,
    SpanDroppedLinksCount,
    SpanFlags,
    EventName,
    EventAttributes,
    EventTimeUnixNano,
    EventDroppedAttributesCount,
    MetricName,
    MetricDescription,
    MetricUnit,
    MetricType,
    MetricAggregationTemporality,
    MetricIsMonotonic,
    PointAttributes,
    PointValueDouble,
    PointValueInt,
    PointCount,
    PointSum,
    PointStartTimeUnixNano,
    PointTimeUnixNano,
    PointFlags,
    LogBody,
    LogBodyString,
    LogSeverityNumber,
    LogSeverityText,
    LogAttributes,
    LogTraceId,
    LogTraceIdString,
    LogSpanId,
    LogSpanIdString,
    LogTimeUnixNano,
    LogObservedTimeUnixNano,
    LogFlags,
    LogEventName,
    LogDroppedAttributesCount,
}

/// <summary>Reads one path of the current item (one switch, no per-path allocation).</summary>
internal sealed class PathExpression(PathField field) : OttlExpression
{
    public PathField Field { get; } = field;

    /// <summary>Resolves the segments (after any context prefix) of a path owned by <paramref name="owner"/>.</summary>
    public static PathField? Resolve(OttlContext owner, string path) => (owner, path) switch
    {
        (OttlContext.Resource, "attributes") => PathField.ResourceAttributes,
        (OttlContext.Resource, "dropped_attributes_count") => PathField.ResourceDroppedAttributesCount,
        (OttlContext.Scope, "name") => PathField.ScopeName,
        (OttlContext.Scope, "version") => PathField.ScopeVersion,
        (OttlContext.Scope, "attributes") => PathField.ScopeAttributes,
        (OttlContext.Scope, "dropped_attributes_count") => PathField.ScopeDroppedAttributesCount,
        (OttlContext.Span, "name") => PathField.SpanName,
        (OttlContext.Span, "kind") => PathField.SpanKind,
        (OttlContext.Span, "status.code") => PathField.SpanStatusCode,
        (OttlContext.Span, "status.message") => PathField.SpanStatusMessage,
        (OttlContext.Span, "attributes") => PathField.SpanAttributes,
        (OttlContext.Span, "trace_id") => PathField.SpanTraceId,
        (OttlContext.Span, "trace_id.string") => PathField.SpanTraceIdString,
        (OttlContext.Span, "span_id") => PathField.SpanSpanId,
        (OttlContext.Span, "span_id.string") => PathField.SpanSpanIdString,
        (OttlContext.Span, "parent_span_id") => PathField.SpanParentSpanId,
        (OttlContext.Span, "parent_span_id.string") => PathField.SpanParentSpanIdString,
        (OttlContext.Span, "start_time_unix_nano") => PathField.SpanStartTimeUnixNano,
        (OttlContext.Span, "end_time_unix_nano") => PathField.SpanEndTimeUnixNano,
        (OttlContext.Span, "trace_state") => PathField.SpanTraceState,
        (OttlContext.Span, "dropped_attributes_count") => PathField.SpanDroppedAttributesCount,
        (OttlContext.Span, "dropped_events_count") => PathField.SpanDroppedEventsCount,
        (OttlContext.Span, "dropped_links_count") => PathField.SpanDroppedLinksCount,
        (OttlContext.Span, "flags") => PathField.SpanFlags,
        (OttlContext.SpanEvent, "name") => PathField.EventName,
        (OttlContext.SpanEvent, "attributes") => PathField.EventAttributes,
        (OttlContext.SpanEvent, "time_unix_nano") => PathField.EventTimeUnixNano,
        (OttlContext.SpanEvent, "dropped_attributes_count") => PathField.EventDroppedAttributesCount,
        (OttlContext.Metric, "name") => PathField.MetricName,
        (OttlContext.Metric, "description") => PathField.MetricDescription,
        (OttlContext.Metric, "unit") => PathField.MetricUnit,
        (OttlContext.Metric, "type") => PathField.MetricType,
        (OttlContext.Metric, "aggregation_temporality") => PathField.MetricAggregationTemporality,
        (OttlContext.Metric, "is_monotonic") => PathField.MetricIsMonotonic,
        (OttlContext.DataPoint, "attributes") => PathField.PointAttributes,
        (OttlContext.DataPoint, "value_double") => PathField.PointValueDouble,
        (OttlContext.DataPoint, "value_int") => PathField.PointValueInt,
        (OttlContext.DataPoint, "count") => PathField.PointCount,
        (OttlContext.DataPoint, "sum") => PathField.PointSum,
        (OttlContext.DataPoint, "start_time_unix_nano") => PathField.PointStartTimeUnixNano,
        (OttlContext.DataPoint, "time_unix_nano") => PathField.PointTimeUnixNano,
        (OttlContext.DataPoint, "flags") => PathField.PointFlags,
        (OttlContext.Log, "body") => PathField.LogBody,
        (OttlContext.Log, "body.string") => PathField.LogBodyString,
        (OttlContext.Log, "severity_number") => PathField.LogSeverityNumber,
        (OttlContext.Log, "severity_text") => PathField.LogSeverityText,
        (OttlContext.Log, "attributes") => PathField.LogAttributes,
        (OttlContext.Log, "trace_id") => PathField.LogTraceId,
        (OttlContext.Log, "trace_id.string") => PathField.LogTraceIdString,
        (OttlContext.Log, "span_id") => PathField.LogSpanId,
        (OttlContext.Log, "span_id.string") => PathField.LogSpanIdString,
        (OttlContext.Log, "time_unix_nano") => PathField.LogTimeUnixNano,
        (OttlContext.Log, "observed_time_unix_nano") => PathField.LogObservedTimeUnixNano,
        (OttlContext.Log, "flags") => PathField.LogFlags,
        (OttlContext.Log, "event_name") => PathField.LogEventName,
        (OttlContext.Log, "dropped_attributes_count") => PathField.LogDroppedAttributesCount,
        _ => null,
    };

    public override OttlValue Evaluate(OttlItem item)
    {
        switch (Field)
        {
            case PathField.ResourceAttributes:
                return item.Resource is { } r ? OttlValue.Map(r.Attributes) : OttlValue.Nil;
            case PathField.ResourceDroppedAttributesCount:
                return OttlValue.Int(item.Resource?.DroppedAttributesCount ?? 0);
            case PathField.ScopeName:
                return OttlValue.String(item.Scope?.Name ?? string.Empty);
            case PathField.ScopeVersion:
                return OttlValue.String(item.Scope?.Version ?? string.Empty);
            case PathField.ScopeAttributes:
                return item.Scope is { } s ? OttlValue.Map(s.Attributes) : OttlValue.Nil;
            case PathField.ScopeDroppedAttributesCount:
                return OttlValue.Int(item.Scope?.DroppedAttributesCount ?? 0);
        }

        if (Field <= PathField.SpanFlags)
        {
            var span = item.Span;
            if (span is null)
            {
                return OttlValue.Nil;
            }

            return Field switch
            {
                PathField.SpanName => OttlValue.String(span.Name),
                PathField.SpanKind => OttlValue.Int((long)span.Kind),
                PathField.SpanStatusCode => OttlValue.Int((long)(span.Status?.Code ?? 0)),
                PathField.SpanStatusMessage => OttlValue.String(span.Status?.Message ?? string.Empty),
                PathField.SpanAttributes => OttlValue.Map(span.Attributes),
                PathField.SpanTraceId => OttlValue.Bytes(span.TraceId),
                PathField.SpanTraceIdString => Hex(span.TraceId),
                PathField.SpanSpanId => OttlValue.Bytes(span.SpanId),
                PathField.SpanSpanIdString => Hex(span.SpanId),
                PathField.SpanParentSpanId => OttlValue.Bytes(span.ParentSpanId),
                PathField.SpanParentSpanIdString => Hex(span.ParentSpanId),
                PathField.SpanStartTimeUnixNano => OttlValue.Int((long)span.StartTimeUnixNano),
                PathField.SpanEndTimeUnixNano => OttlValue.Int((long)span.EndTimeUnixNano),
                PathField.SpanTraceState => OttlValue.String(span.TraceState),
                PathField.SpanDroppedAttributesCount => OttlValue.Int(span.DroppedAttributesCount),
                PathField.SpanDroppedEventsCount => OttlValue.Int(span.DroppedEventsCount),
                PathField.SpanDroppedLinksCount => OttlValue.Int(span.DroppedLinksCount),
                _ => OttlValue.Int(span.Flags),
            };
        }

        if (Field <= PathField.EventDroppedAttributesCount)
        {
            var e = item.SpanEvent;
            if (e is null)
            {
                return OttlValue.Nil;
            }

            return Field switch
            {
                PathField.EventName => OttlValue.String(e.Name),
                PathField.EventAttributes => OttlValue.Map(e.Attributes),
                PathField.EventTimeUnixNano => OttlValue.Int((long)e.TimeUnixNano),
                _ => OttlValue.Int(e.DroppedAttributesCount),
            };
        }

        if (Field <= PathField.MetricIsMonotonic)
        {
            var m = item.Metric;
            if (m is null)
            {
                return OttlValue.Nil;
            }

            return Field switch
            {
                PathField.MetricName => OttlValue.String(m.Name),
                PathField.MetricDescription => OttlValue.String(m.Description),
                PathField.MetricUnit => OttlValue.String(m.Unit),
                PathField.MetricType => OttlValue.Int(m.DataCase switch
                {
                    Metric.DataOneofCase.Gauge => 1,
                    Metric.DataOneofCase.Sum => 2,
                    Metric.DataOneofCase.Histogram => 3,
                    Metric.DataOneofCase.ExponentialHistogram => 4,
                    Metric.DataOneofCase.Summary => 5,
                    _ => 0,
                }),
                PathField.MetricAggregationTemporality => OttlValue.Int(m.DataCase switch
                {
                    Metric.DataOneofCase.Sum => (long)m.Sum.AggregationTemporality,
                    Metric.DataOneofCase.Histogram => (long)m.Histogram.AggregationTemporality,
                    Metric.DataOneofCase.ExponentialHistogram => (long)m.ExponentialHistogram.AggregationTemporality,
                    _ => 0,
                }),
                _ => OttlValue.Bool(m.DataCase == Metric.DataOneofCase.Sum && m.Sum.IsMonotonic),
            };
        }

        if (Field <= PathField.PointFlags)
        {
            return EvaluatePoint(item.DataPoint);
        }

        var log = item.Log;
        if (log is null)
        {
            return OttlValue.Nil;
        }

        return Field switch
        {
            PathField.LogBody => OttlValue.FromAnyValue(log.Body),
            PathField.LogBodyString => OttlValue.String(AttributeValues.AsString(log.Body)),
            PathField.LogSeverityNumber => OttlValue.Int((long)log.SeverityNumber),
            PathField.LogSeverityText => OttlValue.String(log.SeverityText),
            PathField.LogAttributes => OttlValue.Map(log.Attributes),
            PathField.LogTraceId => OttlValue.Bytes(log.TraceId),
            PathField.LogTraceIdString => Hex(log.TraceId),
            PathField.LogSpanId => OttlValue.Bytes(log.SpanId),
            PathField.LogSpanIdString => Hex(log.SpanId),
            PathField.LogTimeUnixNano => OttlValue.Int((long)log.TimeUnixNano),
            PathField.LogObservedTimeUnixNano => OttlValue.Int((long)log.ObservedTimeUnixNano),
            PathField.LogFlags => OttlValue.Int(log.Flags),
            PathField.LogEventName => OttlValue.String(log.EventName),
            _ => OttlValue.Int(log.DroppedAttributesCount),
        };
    }

    private OttlValue EvaluatePoint(IMessage? point) => point switch
    {
        NumberDataPoint n => Field switch
        {
            PathField.PointValueDouble => OttlValue.Double(n.ValueCase == NumberDataPoint.ValueOneofCase.AsDouble ? n.AsDouble : 0),
            PathField.PointValueInt => OttlValue.Int(n.ValueCase == NumberDataPoint.ValueOneofCase.AsInt ? n.AsInt : 0),
            _ => EvaluatePointCommon(n.Attributes, n.StartTimeUnixNano, n.TimeUnixNano, n.Flags),
        },
        HistogramDataPoint h => EvaluateDistributionPoint(h.Count, h.Sum, h.Attributes, h.StartTimeUnixNano, h.TimeUnixNano, h.Flags),
        ExponentialHistogramDataPoint x => EvaluateDistributionPoint(x.Count, x.Sum, x.Attributes, x.StartTimeUnixNano, x.TimeUnixNano, x.Flags),
        SummaryDataPoint s => EvaluateDistributionPoint(s.Count, s.Sum, s.Attributes, s.StartTimeUnixNano, s.TimeUnixNano, s.Flags),
        _ => OttlValue.Nil,
    };

    /// <summary><c>count</c> and <c>sum</c> of a histogram, exponential histogram or summary point, else the fields every
    /// point has.</summary>
    private OttlValue EvaluateDistributionPoint(ulong count, double sum, RepeatedField<KeyValue> attributes, ulong startTimeUnixNano, ulong timeUnixNano, uint flags) => Field switch
    {
        PathField.PointCount => OttlValue.Int((long)count),
        PathField.PointSum => OttlValue.Double(sum),
        _ => EvaluatePointCommon(attributes, startTimeUnixNano, timeUnixNano, flags),
    };

    /// <summary>The fields every data point type has; nil for a field the point's type lacks.</summary>
    private OttlValue EvaluatePointCommon(RepeatedField<KeyValue> attributes, ulong startTimeUnixNano, ulong timeUnixNano, uint flags) => Field switch
    {
        PathField.PointAttributes => OttlValue.Map(attributes),
        PathField.PointStartTimeUnixNano => OttlValue.Int((long)startTimeUnixNano),
        PathField.PointTimeUnixNano => OttlValue.Int((long)timeUnixNano),
        PathField.PointFlags => OttlValue.Int(flags),
        _ => OttlValue.Nil,
    };

    private static OttlValue Hex(ByteString id) =>
        OttlValue.String(id.Length == 0 ? string.Empty : Convert.ToHexStringLower(id.Span));
}
