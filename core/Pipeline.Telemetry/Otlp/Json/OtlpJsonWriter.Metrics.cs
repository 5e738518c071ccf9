using System.Text.Json;
using Google.Protobuf.Collections;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Metrics.V1;

namespace Pipeline.Telemetry.Otlp.Json;

/// <summary>Metric messages.</summary>
internal static partial class OtlpJsonWriter
{
    public static void WriteMetricsRequest(Utf8JsonWriter w, ExportMetricsServiceRequest request)
    {
        w.WriteStartObject();
        if (request.ResourceMetrics.Count != 0)
        {
            w.WriteStartArray("resourceMetrics"u8);
            foreach (var rm in request.ResourceMetrics)
            {
                WriteResourceMetrics(w, rm);
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    public static void WriteMetricsResponse(Utf8JsonWriter w, ExportMetricsServiceResponse response)
    {
        w.WriteStartObject();
        if (response.PartialSuccess is { } partial)
        {
            w.WriteStartObject("partialSuccess"u8);
            if (partial.RejectedDataPoints != 0)
            {
                WriteInt64Always(w, "rejectedDataPoints"u8, partial.RejectedDataPoints);
            }

            WriteString(w, "errorMessage"u8, partial.ErrorMessage);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteResourceMetrics(Utf8JsonWriter w, ResourceMetrics rm)
    {
        w.WriteStartObject();
        WriteResource(w, rm.Resource);
        if (rm.ScopeMetrics.Count != 0)
        {
            w.WriteStartArray("scopeMetrics"u8);
            foreach (var sm in rm.ScopeMetrics)
            {
                w.WriteStartObject();
                WriteScope(w, sm.Scope);
                if (sm.Metrics.Count != 0)
                {
                    w.WriteStartArray("metrics"u8);
                    foreach (var metric in sm.Metrics)
                    {
                        WriteMetric(w, metric);
                    }

                    w.WriteEndArray();
                }

                WriteString(w, "schemaUrl"u8, sm.SchemaUrl);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        WriteString(w, "schemaUrl"u8, rm.SchemaUrl);
        w.WriteEndObject();
    }

    private static void WriteMetric(Utf8JsonWriter w, Metric metric)
    {
        w.WriteStartObject();
        WriteString(w, "name"u8, metric.Name);
        WriteString(w, "description"u8, metric.Description);
        WriteString(w, "unit"u8, metric.Unit);
        switch (metric.DataCase)
        {
            case Metric.DataOneofCase.Gauge:
                w.WriteStartObject("gauge"u8);
                WriteNumberDataPoints(w, metric.Gauge.DataPoints);
                w.WriteEndObject();
                break;
            case Metric.DataOneofCase.Sum:
                w.WriteStartObject("sum"u8);
                WriteNumberDataPoints(w, metric.Sum.DataPoints);
                WriteInt32(w, "aggregationTemporality"u8, (int)metric.Sum.AggregationTemporality);
                if (metric.Sum.IsMonotonic)
                {
                    w.WriteBoolean("isMonotonic"u8, true);
                }

                w.WriteEndObject();
                break;
            case Metric.DataOneofCase.Histogram:
                w.WriteStartObject("histogram"u8);
                if (metric.Histogram.DataPoints.Count != 0)
                {
                    w.WriteStartArray("dataPoints"u8);
                    foreach (var dp in metric.Histogram.DataPoints)
                    {
                        WriteHistogramDataPoint(w, dp);
                    }

                    w.WriteEndArray();
                }

                WriteInt32(w, "aggregationTemporality"u8, (int)metric.Histogram.AggregationTemporality);
                w.WriteEndObject();
                break;
            case Metric.DataOneofCase.ExponentialHistogram:
                w.WriteStartObject("exponentialHistogram"u8);
                if (metric.ExponentialHistogram.DataPoints.Count != 0)
                {
                    w.WriteStartArray("dataPoints"u8);
                    foreach (var dp in metric.ExponentialHistogram.DataPoints)
                    {
                        WriteExponentialHistogramDataPoint(w, dp);
                    }

                    w.WriteEndArray();
                }

                WriteInt32(w, "aggregationTemporality"u8, (int)metric.ExponentialHistogram.AggregationTemporality);
                w.WriteEndObject();
                break;
            case Metric.DataOneofCase.Summary:
                w.WriteStartObject("summary"u8);
                if (metric.Summary.DataPoints.Count != 0)
                {
                    w.WriteStartArray("dataPoints"u8);
                    foreach (var dp in metric.Summary.DataPoints)
                    {
                        WriteSummaryDataPoint(w, dp);
                    }

                    w.WriteEndArray();
                }

                w.WriteEndObject();
                break;
        }

        WriteAttributes(w, "metadata"u8, metric.Metadata);
        w.WriteEndObject();
    }

    private static void WriteNumberDataPoints(Utf8JsonWriter w, RepeatedField<NumberDataPoint> points)
    {
        if (points.Count == 0)
        {
            return;
        }

        w.WriteStartArray("dataPoints"u8);
        foreach (var dp in points)
        {
            w.WriteStartObject();
            WriteAttributes(w, "attributes"u8, dp.Attributes);
            WriteUInt64(w, "startTimeUnixNano"u8, dp.StartTimeUnixNano);
            WriteUInt64(w, "timeUnixNano"u8, dp.TimeUnixNano);
            if (dp.ValueCase == NumberDataPoint.ValueOneofCase.AsDouble)
            {
                WriteDoubleAlways(w, "asDouble"u8, dp.AsDouble);
            }
            else if (dp.ValueCase == NumberDataPoint.ValueOneofCase.AsInt)
            {
                WriteInt64Always(w, "asInt"u8, dp.AsInt);
            }

            WriteExemplars(w, dp.Exemplars);
            WriteUInt32(w, "flags"u8, dp.Flags);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteHistogramDataPoint(Utf8JsonWriter w, HistogramDataPoint dp)
    {
        w.WriteStartObject();
        WriteAttributes(w, "attributes"u8, dp.Attributes);
        WriteUInt64(w, "startTimeUnixNano"u8, dp.StartTimeUnixNano);
        WriteUInt64(w, "timeUnixNano"u8, dp.TimeUnixNano);
        WriteUInt64(w, "count"u8, dp.Count);
        if (dp.HasSum)
        {
            WriteDoubleAlways(w, "sum"u8, dp.Sum);
        }

        WriteUInt64s(w, "bucketCounts"u8, dp.BucketCounts);
        if (dp.ExplicitBounds.Count != 0)
        {
            w.WriteStartArray("explicitBounds"u8);
            foreach (double bound in dp.ExplicitBounds)
            {
                WriteDoubleValue(w, bound);
            }

            w.WriteEndArray();
        }

        WriteExemplars(w, dp.Exemplars);
        WriteUInt32(w, "flags"u8, dp.Flags);
        if (dp.HasMin)
        {
            WriteDoubleAlways(w, "min"u8, dp.Min);
        }

        if (dp.HasMax)
        {
            WriteDoubleAlways(w, "max"u8, dp.Max);
        }

        w.WriteEndObject();
    }

    private static void WriteExponentialHistogramDataPoint(Utf8JsonWriter w, ExponentialHistogramDataPoint dp)
    {
        w.WriteStartObject();
        WriteAttributes(w, "attributes"u8, dp.Attributes);
        WriteUInt64(w, "startTimeUnixNano"u8, dp.StartTimeUnixNano);
        WriteUInt64(w, "timeUnixNano"u8, dp.TimeUnixNano);
        WriteUInt64(w, "count"u8, dp.Count);
        if (dp.HasSum)
        {
            WriteDoubleAlways(w, "sum"u8, dp.Sum);
        }

        WriteInt32(w, "scale"u8, dp.Scale);
        WriteUInt64(w, "zeroCount"u8, dp.ZeroCount);
        WriteBuckets(w, "positive"u8, dp.Positive);
        WriteBuckets(w, "negative"u8, dp.Negative);
        WriteUInt32(w, "flags"u8, dp.Flags);
        WriteExemplars(w, dp.Exemplars);
        if (dp.HasMin)
        {
            WriteDoubleAlways(w, "min"u8, dp.Min);
        }

        if (dp.HasMax)
        {
            WriteDoubleAlways(w, "max"u8, dp.Max);
        }

        WriteDouble(w, "zeroThreshold"u8, dp.ZeroThreshold);
        w.WriteEndObject();
    }

    private static void WriteBuckets(Utf8JsonWriter w, ReadOnlySpan<byte> name, ExponentialHistogramDataPoint.Types.Buckets? buckets)
    {
        if (buckets is null)
        {
            return;
        }

        w.WriteStartObject(name);
        WriteInt32(w, "offset"u8, buckets.Offset);
        WriteUInt64s(w, "bucketCounts"u8, buckets.BucketCounts);
        w.WriteEndObject();
    }

    private static void WriteSummaryDataPoint(Utf8JsonWriter w, SummaryDataPoint dp)
    {
        w.WriteStartObject();
        WriteAttributes(w, "attributes"u8, dp.Attributes);
        WriteUInt64(w, "startTimeUnixNano"u8, dp.StartTimeUnixNano);
        WriteUInt64(w, "timeUnixNano"u8, dp.TimeUnixNano);
        WriteUInt64(w, "count"u8, dp.Count);
        WriteDouble(w, "sum"u8, dp.Sum);
        if (dp.QuantileValues.Count != 0)
        {
            w.WriteStartArray("quantileValues"u8);
            foreach (var q in dp.QuantileValues)
            {
                w.WriteStartObject();
                WriteDouble(w, "quantile"u8, q.Quantile);
                WriteDouble(w, "value"u8, q.Value);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        WriteUInt32(w, "flags"u8, dp.Flags);
        w.WriteEndObject();
    }

    private static void WriteExemplars(Utf8JsonWriter w, RepeatedField<Exemplar> exemplars)
    {
        if (exemplars.Count == 0)
        {
            return;
        }

        w.WriteStartArray("exemplars"u8);
        foreach (var e in exemplars)
        {
            w.WriteStartObject();
            WriteAttributes(w, "filteredAttributes"u8, e.FilteredAttributes);
            WriteUInt64(w, "timeUnixNano"u8, e.TimeUnixNano);
            if (e.ValueCase == Exemplar.ValueOneofCase.AsDouble)
            {
                WriteDoubleAlways(w, "asDouble"u8, e.AsDouble);
            }
            else if (e.ValueCase == Exemplar.ValueOneofCase.AsInt)
            {
                WriteInt64Always(w, "asInt"u8, e.AsInt);
            }

            WriteHex(w, "spanId"u8, e.SpanId);
            WriteHex(w, "traceId"u8, e.TraceId);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteUInt64s(Utf8JsonWriter w, ReadOnlySpan<byte> name, RepeatedField<ulong> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        Span<byte> buffer = stackalloc byte[20];
        w.WriteStartArray(name);
        foreach (ulong value in values)
        {
            value.TryFormat(buffer, out int n, default, System.Globalization.CultureInfo.InvariantCulture);
            w.WriteStringValue(buffer[..n]);
        }

        w.WriteEndArray();
    }
}
