using System.Text.Json;
using Google.Protobuf.Collections;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Metrics.V1;
using static Pipeline.Telemetry.Otlp.Json.JsonFieldReader;

namespace Pipeline.Telemetry.Otlp.Json;

/// <summary>Metric messages: the five metric types, their data points, exemplars, buckets and quantiles.</summary>
internal static partial class OtlpJsonParser
{
    private static readonly string[] TemporalityNames =
    [
        "AGGREGATION_TEMPORALITY_UNSPECIFIED", "AGGREGATION_TEMPORALITY_DELTA", "AGGREGATION_TEMPORALITY_CUMULATIVE",
    ];

    public static ExportMetricsServiceRequest ParseMetricsRequest(ref Utf8JsonReader r)
    {
        const string Owner = "ExportMetricsServiceRequest";
        var request = new ExportMetricsServiceRequest();
        while (NextProperty(ref r))
        {
            if (Is(ref r, "resourceMetrics"u8, "resource_metrics"u8))
            {
                ReadObjects(ref r, Owner, "resourceMetrics", request.ResourceMetrics, ParseResourceMetrics);
            }
            else
            {
                SkipValue(ref r);
            }
        }

        return request;
    }

    public static ExportMetricsServiceResponse ParseMetricsResponse(ref Utf8JsonReader r)
    {
        var response = new ExportMetricsServiceResponse();
        var partial = ReadExportResponse(ref r, "ExportMetricsServiceResponse", "ExportMetricsPartialSuccess", "rejectedDataPoints"u8, "rejected_data_points"u8, "rejectedDataPoints");
        if (partial.Present)
        {
            response.PartialSuccess = new ExportMetricsPartialSuccess { RejectedDataPoints = partial.Rejected, ErrorMessage = partial.ErrorMessage };
        }

        return response;
    }

    private static ResourceMetrics ParseResourceMetrics(ref Utf8JsonReader r)
    {
        var message = new ResourceMetrics();
        var header = ReadEnvelope(ref r, "ResourceMetrics", "scopeMetrics"u8, "scope_metrics"u8, "scopeMetrics", message.ScopeMetrics, ParseScopeMetrics, "resource"u8, "resource", ParseResource);
        message.Resource = header.Header;
        message.SchemaUrl = header.SchemaUrl;
        return message;
    }

    private static ScopeMetrics ParseScopeMetrics(ref Utf8JsonReader r)
    {
        var message = new ScopeMetrics();
        var header = ReadEnvelope(ref r, "ScopeMetrics", "metrics"u8, "metrics"u8, "metrics", message.Metrics, ParseMetric, "scope"u8, "scope", ParseScope);
        message.Scope = header.Header;
        message.SchemaUrl = header.SchemaUrl;
        return message;
    }

    private static Metric ParseMetric(ref Utf8JsonReader r)
    {
        const string Owner = "Metric";
        var metric = new Metric();
        while (NextProperty(ref r))
        {
            if (Is(ref r, "name"u8))
            {
                if (Value(ref r))
                {
                    metric.Name = ReadString(ref r, Owner, "name");
                }
            }
            else if (Is(ref r, "description"u8))
            {
                if (Value(ref r))
                {
                    metric.Description = ReadString(ref r, Owner, "description");
                }
            }
            else if (Is(ref r, "unit"u8))
            {
                if (Value(ref r))
                {
                    metric.Unit = ReadString(ref r, Owner, "unit");
                }
            }
            else if (Is(ref r, "gauge"u8))
            {
                if (BeginObject(ref r, Owner, "gauge"))
                {
                    metric.Gauge = ParseGauge(ref r);
                }
            }
            else if (Is(ref r, "sum"u8))
            {
                if (BeginObject(ref r, Owner, "sum"))
                {
                    metric.Sum = ParseSum(ref r);
                }
            }
            else if (Is(ref r, "histogram"u8))
            {
                if (BeginObject(ref r, Owner, "histogram"))
                {
                    metric.Histogram = ParseHistogram(ref r);
                }
            }
            else if (Is(ref r, "exponentialHistogram"u8, "exponential_histogram"u8))
            {
                if (BeginObject(ref r, Owner, "exponentialHistogram"))
                {
                    metric.ExponentialHistogram = ParseExponentialHistogram(ref r);
                }
            }
            else if (Is(ref r, "summary"u8))
            {
                if (BeginObject(ref r, Owner, "summary"))
                {
                    metric.Summary = ParseSummary(ref r);
                }
            }
            else if (Is(ref r, "metadata"u8))
            {
                if (Value(ref r))
                {
                    ReadAttributes(ref r, Owner, "metadata", metric.Metadata);
                }
            }
            else
            {
                SkipValue(ref r);
            }
        }

        return metric;
    }

    private static Gauge ParseGauge(ref Utf8JsonReader r)
    {
        var gauge = new Gauge();
        while (NextProperty(ref r))
        {
            if (Is(ref r, "dataPoints"u8, "data_points"u8))
            {
                ReadObjects(ref r, "Gauge", "dataPoints", gauge.DataPoints, ParseNumberDataPoint);
            }
            else
            {
                SkipValue(ref r);
            }
        }

        return gauge;
    }

    private static Sum ParseSum(ref Utf8JsonReader r)
    {
        const string Owner = "Sum";
        var sum = new Sum();
        while (NextProperty(ref r))
        {
            if (Is(ref r, "dataPoints"u8, "data_points"u8))
            {
                ReadObjects(ref r, Owner, "dataPoints", sum.DataPoints, ParseNumberDataPoint);
            }
            else if (Is(ref r, "aggregationTemporality"u8, "aggregation_temporality"u8))
            {
                if (Value(ref r))
                {
                    sum.AggregationTemporality = (AggregationTemporality)ReadEnum(ref r, Owner, "aggregationTemporality", TemporalityNames);
                }
            }
            else if (Is(ref r, "isMonotonic"u8, "is_monotonic"u8))
            {
                if (Value(ref r))
                {
                    sum.IsMonotonic = ReadBool(ref r, Owner, "isMonotonic");
                }
            }
            else
            {
                SkipValue(ref r);
            }
        }

        return sum;
    }

    private static Histogram ParseHistogram(ref Utf8JsonReader r)
    {
        const string Owner = "Histogram";
        var histogram = new Histogram();
        while (NextProperty(ref r))
        {
            if (Is(ref r, "dataPoints"u8, "data_points"u8))
            {
                ReadObjects(ref r, Owner, "dataPoints", histogram.DataPoints, ParseHistogramDataPoint);
            }
            else if (Is(ref r, "aggregationTemporality"u8, "aggregation_temporality"u8))
            {
                if (Value(ref r))
                {
                    histogram.AggregationTemporality = (AggregationTemporality)ReadEnum(ref r, Owner, "aggregationTemporality", TemporalityNames);
                }
            }
            else
            {
                SkipValue(ref r);
            }
        }

        return histogram;
    }

    private static ExponentialHistogram ParseExponentialHistogram(ref Utf8JsonReader r)
    {
        const string Owner = "ExponentialHistogram";
        var histogram = new ExponentialHistogram();
        while (NextProperty(ref r))
        {
            if (Is(ref r, "dataPoints"u8, "data_points"u8))
            {
                ReadObjects(ref r, Owner, "dataPoints", histogram.DataPoints, ParseExponentialHistogramDataPoint);
            }
            else if (Is(ref r, "aggregationTemporality"u8, "aggregation_temporality"u8))
            {
                if (Value(ref r))
                {
                    histogram.AggregationTemporality = (AggregationTemporality)ReadEnum(ref r, Owner, "aggregationTemporality", TemporalityNames);
                }
            }
            else
            {
                SkipValue(ref r);
            }
        }

        return histogram;
    }

    private static Summary ParseSummary(ref Utf8JsonReader r)
    {
        var summary = new Summary();
        while (NextProperty(ref r))
        {
            if (Is(ref r, "dataPoints"u8, "data_points"u8))
            {
                ReadObjects(ref r, "Summary", "dataPoints", summary.DataPoints, ParseSummaryDataPoint);
            }
            else
            {
                SkipValue(ref r);
            }
        }

        return summary;
    }

    private static NumberDataPoint ParseNumberDataPoint(ref Utf8JsonReader r)
    {
        const string Owner = "NumberDataPoint";
        var dp = new NumberDataPoint();
        while (NextProperty(ref r))
        {
            if (Is(ref r, "attributes"u8))
            {
                if (Value(ref r))
                {
                    ReadAttributes(ref r, Owner, "attributes", dp.Attributes);
                }
            }
            else if (Is(ref r, "startTimeUnixNano"u8, "start_time_unix_nano"u8))
            {
                if (Value(ref r))
                {
                    dp.StartTimeUnixNano = ReadUInt64(ref r, Owner, "startTimeUnixNano");
                }
            }
            else if (Is(ref r, "timeUnixNano"u8, "time_unix_nano"u8))
            {
                if (Value(ref r))
                {
                    dp.TimeUnixNano = ReadUInt64(ref r, Owner, "timeUnixNano");
                }
            }
            else if (Is(ref r, "asDouble"u8, "as_double"u8))
            {
                if (Value(ref r))
                {
                    dp.AsDouble = ReadDouble(ref r, Owner, "asDouble");
                }
            }
            else if (Is(ref r, "asInt"u8, "as_int"u8))
            {
                if (Value(ref r))
                {
                    dp.AsInt = ReadInt64(ref r, Owner, "asInt");
                }
            }
            else if (Is(ref r, "exemplars"u8))
            {
                if (BeginArray(ref r, Owner, "exemplars"))
                {
                    ReadExemplars(ref r, Owner, dp.Exemplars);
                }
            }
            else if (Is(ref r, "flags"u8))
            {
                if (Value(ref r))
                {
                    dp.Flags = ReadUInt32(ref r, Owner, "flags");
                }
            }
            else
            {
                SkipValue(ref r);
            }
        }

        return dp;
    }

    private static HistogramDataPoint ParseHistogramDataPoint(ref Utf8JsonReader r)
    {
        const string Owner = "HistogramDataPoint";
        var dp = new HistogramDataPoint();
        while (NextProperty(ref r))
        {
            if (Is(ref r, "attributes"u8))
            {
                if (Value(ref r))
                {
                    ReadAttributes(ref r, Owner, "attributes", dp.Attributes);
                }
            }
            else if (Is(ref r, "startTimeUnixNano"u8, "start_time_unix_nano"u8))
            {
                if (Value(ref r))
                {
                    dp.StartTimeUnixNano = ReadUInt64(ref r, Owner, "startTimeUnixNano");
                }
            }
            else if (Is(ref r, "timeUnixNano"u8, "time_unix_nano"u8))
            {
                if (Value(ref r))
                {
                    dp.TimeUnixNano = ReadUInt64(ref r, Owner, "timeUnixNano");
                }
            }
            else if (Is(ref r, "count"u8))
            {
                if (Value(ref r))
                {
                    dp.Count = ReadUInt64(ref r, Owner, "count");
                }
            }
            else if (Is(ref r, "sum"u8))
            {
                if (Value(ref r))
                {
                    dp.Sum = ReadDouble(ref r, Owner, "sum");
                }
            }
            else if (Is(ref r, "bucketCounts"u8, "bucket_counts"u8))
            {
                if (BeginArray(ref r, Owner, "bucketCounts"))
                {
                    ReadUInt64s(ref r, Owner, "bucketCounts", dp.BucketCounts);
                }
            }
            else if (Is(ref r, "explicitBounds"u8, "explicit_bounds"u8))
            {
                if (BeginArray(ref r, Owner, "explicitBounds"))
                {
                    while (NextElement(ref r, Owner, "explicitBounds"))
                    {
                        dp.ExplicitBounds.Add(ReadDouble(ref r, Owner, "explicitBounds"));
                    }
                }
            }
            else if (Is(ref r, "exemplars"u8))
            {
                if (BeginArray(ref r, Owner, "exemplars"))
                {
                    ReadExemplars(ref r, Owner, dp.Exemplars);
                }
            }
            else if (Is(ref r, "flags"u8))
            {
                if (Value(ref r))
                {
                    dp.Flags = ReadUInt32(ref r, Owner, "flags");
                }
            }
            else if (Is(ref r, "min"u8))
            {
                if (Value(ref r))
                {
                    dp.Min = ReadDouble(ref r, Owner, "min");
                }
            }
            else if (Is(ref r, "max"u8))
            {
                if (Value(ref r))
                {
                    dp.Max = ReadDouble(ref r, Owner, "max");
                }
            }
            else
            {
                SkipValue(ref r);
            }
        }

        return dp;
    }

    private static ExponentialHistogramDataPoint ParseExponentialHistogramDataPoint(ref Utf8JsonReader r)
    {
        const string Owner = "ExponentialHistogramDataPoint";
        var dp = new ExponentialHistogramDataPoint();
        while (NextProperty(ref r))
        {
            if (Is(ref r, "attributes"u8))
            {
                if (Value(ref r))
                {
                    ReadAttributes(ref r, Owner, "attributes", dp.Attributes);
                }
            }
            else if (Is(ref r, "startTimeUnixNano"u8, "start_time_unix_nano"u8))
            {
                if (Value(ref r))
                {
                    dp.StartTimeUnixNano = ReadUInt64(ref r, Owner, "startTimeUnixNano");
                }
            }
            else if (Is(ref r, "timeUnixNano"u8, "time_unix_nano"u8))
            {
                if (Value(ref r))
                {
                    dp.TimeUnixNano = ReadUInt64(ref r, Owner, "timeUnixNano");
                }
            }
            else if (Is(ref r, "count"u8))
            {
                if (Value(ref r))
                {
                    dp.Count = ReadUInt64(ref r, Owner, "count");
                }
            }
            else if (Is(ref r, "sum"u8))
            {
                if (Value(ref r))
                {
                    dp.Sum = ReadDouble(ref r, Owner, "sum");
                }
            }
            else if (Is(ref r, "scale"u8))
            {
                if (Value(ref r))
                {
                    dp.Scale = ReadInt32(ref r, Owner, "scale");
                }
            }
            else if (Is(ref r, "zeroCount"u8, "zero_count"u8))
            {
                if (Value(ref r))
                {
                    dp.ZeroCount = ReadUInt64(ref r, Owner, "zeroCount");
                }
            }
            else if (Is(ref r, "positive"u8))
            {
                if (BeginObject(ref r, Owner, "positive"))
                {
                    dp.Positive = ParseBuckets(ref r);
                }
            }
            else if (Is(ref r, "negative"u8))
            {
                if (BeginObject(ref r, Owner, "negative"))
                {
                    dp.Negative = ParseBuckets(ref r);
                }
            }
            else if (Is(ref r, "flags"u8))
            {
                if (Value(ref r))
                {
                    dp.Flags = ReadUInt32(ref r, Owner, "flags");
                }
            }
            else if (Is(ref r, "exemplars"u8))
            {
                if (BeginArray(ref r, Owner, "exemplars"))
                {
                    ReadExemplars(ref r, Owner, dp.Exemplars);
                }
            }
            else if (Is(ref r, "min"u8))
            {
                if (Value(ref r))
                {
                    dp.Min = ReadDouble(ref r, Owner, "min");
                }
            }
            else if (Is(ref r, "max"u8))
            {
                if (Value(ref r))
                {
                    dp.Max = ReadDouble(ref r, Owner, "max");
                }
            }
            else if (Is(ref r, "zeroThreshold"u8, "zero_threshold"u8))
            {
                if (Value(ref r))
                {
                    dp.ZeroThreshold = ReadDouble(ref r, Owner, "zeroThreshold");
                }
            }
            else
            {
                SkipValue(ref r);
            }
        }

        return dp;
    }

    private static ExponentialHistogramDataPoint.Types.Buckets ParseBuckets(ref Utf8JsonReader r)
    {
        const string Owner = "ExponentialHistogramDataPoint.Buckets";
        var buckets = new ExponentialHistogramDataPoint.Types.Buckets();
        while (NextProperty(ref r))
        {
            if (Is(ref r, "offset"u8))
            {
                if (Value(ref r))
                {
                    buckets.Offset = ReadInt32(ref r, Owner, "offset");
                }
            }
            else if (Is(ref r, "bucketCounts"u8, "bucket_counts"u8))
            {
                if (BeginArray(ref r, Owner, "bucketCounts"))
                {
                    ReadUInt64s(ref r, Owner, "bucketCounts", buckets.BucketCounts);
                }
            }
            else
            {
                SkipValue(ref r);
            }
        }

        return buckets;
    }

    private static SummaryDataPoint ParseSummaryDataPoint(ref Utf8JsonReader r)
    {
        const string Owner = "SummaryDataPoint";
        var dp = new SummaryDataPoint();
        while (NextProperty(ref r))
        {
            if (Is(ref r, "attributes"u8))
            {
                if (Value(ref r))
                {
                    ReadAttributes(ref r, Owner, "attributes", dp.Attributes);
                }
            }
            else if (Is(ref r, "startTimeUnixNano"u8, "start_time_unix_nano"u8))
            {
                if (Value(ref r))
                {
                    dp.StartTimeUnixNano = ReadUInt64(ref r, Owner, "startTimeUnixNano");
                }
            }
            else if (Is(ref r, "timeUnixNano"u8, "time_unix_nano"u8))
            {
                if (Value(ref r))
                {
                    dp.TimeUnixNano = ReadUInt64(ref r, Owner, "timeUnixNano");
                }
            }
            else if (Is(ref r, "count"u8))
            {
                if (Value(ref r))
                {
                    dp.Count = ReadUInt64(ref r, Owner, "count");
                }
            }
            else if (Is(ref r, "sum"u8))
            {
                if (Value(ref r))
                {
                    dp.Sum = ReadDouble(ref r, Owner, "sum");
                }
            }
            else if (Is(ref r, "quantileValues"u8, "quantile_values"u8))
            {
                ReadObjects(ref r, Owner, "quantileValues", dp.QuantileValues, ParseQuantile);
            }
            else if (Is(ref r, "flags"u8))
            {
                if (Value(ref r))
                {
                    dp.Flags = ReadUInt32(ref r, Owner, "flags");
                }
            }
            else
            {
                SkipValue(ref r);
            }
        }

        return dp;
    }

    private static SummaryDataPoint.Types.ValueAtQuantile ParseQuantile(ref Utf8JsonReader r)
    {
        const string Owner = "SummaryDataPoint.ValueAtQuantile";
        var q = new SummaryDataPoint.Types.ValueAtQuantile();
        while (NextProperty(ref r))
        {
            if (Is(ref r, "quantile"u8))
            {
                if (Value(ref r))
                {
                    q.Quantile = ReadDouble(ref r, Owner, "quantile");
                }
            }
            else if (Is(ref r, "value"u8))
            {
                if (Value(ref r))
                {
                    q.Value = ReadDouble(ref r, Owner, "value");
                }
            }
            else
            {
                SkipValue(ref r);
            }
        }

        return q;
    }

    private static void ReadExemplars(ref Utf8JsonReader r, string owner, RepeatedField<Exemplar> into)
    {
        while (NextObject(ref r, owner, "exemplars"))
        {
            into.Add(ParseExemplar(ref r));
        }
    }

    private static Exemplar ParseExemplar(ref Utf8JsonReader r)
    {
        const string Owner = "Exemplar";
        var e = new Exemplar();
        while (NextProperty(ref r))
        {
            if (Is(ref r, "filteredAttributes"u8, "filtered_attributes"u8))
            {
                if (Value(ref r))
                {
                    ReadAttributes(ref r, Owner, "filteredAttributes", e.FilteredAttributes);
                }
            }
            else if (Is(ref r, "timeUnixNano"u8, "time_unix_nano"u8))
            {
                if (Value(ref r))
                {
                    e.TimeUnixNano = ReadUInt64(ref r, Owner, "timeUnixNano");
                }
            }
            else if (Is(ref r, "asDouble"u8, "as_double"u8))
            {
                if (Value(ref r))
                {
                    e.AsDouble = ReadDouble(ref r, Owner, "asDouble");
                }
            }
            else if (Is(ref r, "asInt"u8, "as_int"u8))
            {
                if (Value(ref r))
                {
                    e.AsInt = ReadInt64(ref r, Owner, "asInt");
                }
            }
            else if (Is(ref r, "spanId"u8, "span_id"u8))
            {
                if (Value(ref r))
                {
                    e.SpanId = ReadSpanId(ref r, Owner, "spanId");
                }
            }
            else if (Is(ref r, "traceId"u8, "trace_id"u8))
            {
                if (Value(ref r))
                {
                    e.TraceId = ReadTraceId(ref r, Owner, "traceId");
                }
            }
            else
            {
                SkipValue(ref r);
            }
        }

        return e;
    }

    private static void ReadUInt64s(ref Utf8JsonReader r, string owner, string field, RepeatedField<ulong> into)
    {
        while (NextElement(ref r, owner, field))
        {
            into.Add(ReadUInt64(ref r, owner, field));
        }
    }
}
