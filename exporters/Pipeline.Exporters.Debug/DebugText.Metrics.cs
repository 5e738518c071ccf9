using System.Text;
using Google.Protobuf.Collections;
using OpenTelemetry.Proto.Metrics.V1;
using Pipeline.Telemetry;

namespace Pipeline.Exporters.Debug;

/// <summary>Metrics text.</summary>
internal static partial class DebugText
{
    private static string MetricsSummary(Metrics metrics)
    {
        int count = 0;
        foreach (var rm in metrics.Request.ResourceMetrics)
        {
            foreach (var sm in rm.ScopeMetrics)
            {
                count += sm.Metrics.Count;
            }
        }

        return $"Metrics {{\"resource metrics\": {metrics.Request.ResourceMetrics.Count}, \"metrics\": {count}, \"data points\": {metrics.ItemCount}}}";
    }

    private static string MetricsNormal(Metrics metrics)
    {
        var text = new StringBuilder();
        var resources = metrics.Request.ResourceMetrics;
        for (int r = 0; r < resources.Count; r++)
        {
            AppendNormalResource(text, "ResourceMetrics", r, resources[r].Resource);
            var scopes = resources[r].ScopeMetrics;
            for (int s = 0; s < scopes.Count; s++)
            {
                AppendNormalScope(text, "ScopeMetrics", s, scopes[s].Scope);
                foreach (var metric in scopes[s].Metrics)
                {
                    AppendNormalMetric(text, metric);
                }
            }
        }

        return text.ToString();
    }

    private static void AppendNormalMetric(StringBuilder text, Metric metric)
    {
        switch (metric.DataCase)
        {
            case Metric.DataOneofCase.Gauge:
                AppendNormalNumbers(text, metric.Name, metric.Gauge.DataPoints);
                break;
            case Metric.DataOneofCase.Sum:
                AppendNormalNumbers(text, metric.Name, metric.Sum.DataPoints);
                break;
            case Metric.DataOneofCase.Histogram:
                foreach (var p in metric.Histogram.DataPoints)
                {
                    NormalCountSum(text, metric.Name, p.Attributes, p.Count, p.HasSum, p.Sum);

                    if (p.HasMin)
                    {
                        text.Append(" min=").Append(Number(p.Min));
                    }

                    if (p.HasMax)
                    {
                        text.Append(" max=").Append(Number(p.Max));
                    }

                    for (int i = 0; i < p.BucketCounts.Count; i++)
                    {
                        text.Append(" le").Append(i < p.ExplicitBounds.Count ? Number(p.ExplicitBounds[i]) : "+Inf").Append('=').Append(p.BucketCounts[i]);
                    }

                    text.Append('\n');
                }

                break;
            case Metric.DataOneofCase.ExponentialHistogram:
                foreach (var p in metric.ExponentialHistogram.DataPoints)
                {
                    NormalCountSum(text, metric.Name, p.Attributes, p.Count, p.HasSum, p.Sum);

                    text.Append(" scale=").Append(p.Scale).Append(" zero_count=").Append(p.ZeroCount).Append('\n');
                }

                break;
            case Metric.DataOneofCase.Summary:
                foreach (var p in metric.Summary.DataPoints)
                {
                    NormalCountSum(text, metric.Name, p.Attributes, p.Count, hasSum: true, p.Sum);
                    foreach (var q in p.QuantileValues)
                    {
                        text.Append(" q").Append(Number(q.Quantile)).Append('=').Append(Number(q.Value));
                    }

                    text.Append('\n');
                }

                break;
            default:
                text.Append(metric.Name).Append('\n');
                break;
        }
    }

    private static void AppendNormalNumbers(StringBuilder text, string name, RepeatedField<NumberDataPoint> points)
    {
        foreach (var p in points)
        {
            NormalPrefix(text, name, p.Attributes);
            text.Append(' ').Append(NumberValue(p)).Append('\n');
        }
    }

    /// <summary>The one-line start of a histogram, exponential histogram or summary point: name, attributes, count and sum where present.</summary>
    private static void NormalCountSum(StringBuilder text, string name, RepeatedField<OpenTelemetry.Proto.Common.V1.KeyValue> attributes, ulong count, bool hasSum, double sum)
    {
        NormalPrefix(text, name, attributes);
        text.Append(" count=").Append(count);
        if (hasSum)
        {
            text.Append(" sum=").Append(Number(sum));
        }
    }

    private static void NormalPrefix(StringBuilder text, string name, RepeatedField<OpenTelemetry.Proto.Common.V1.KeyValue> attributes)
    {
        text.Append(name).Append('{');
        for (int i = 0; i < attributes.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append(attributes[i].Key).Append('=');
            AppendPlain(text, attributes[i].Value);
        }

        text.Append('}');
    }

    private static string NumberValue(NumberDataPoint p) => p.ValueCase == NumberDataPoint.ValueOneofCase.AsInt
        ? p.AsInt.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : Number(p.AsDouble);

    private static string MetricsDetailed(Metrics metrics)
    {
        var text = new StringBuilder();
        var resources = metrics.Request.ResourceMetrics;
        for (int r = 0; r < resources.Count; r++)
        {
            AppendResource(text, "ResourceMetrics", r, resources[r].Resource, resources[r].SchemaUrl);
            var scopes = resources[r].ScopeMetrics;
            for (int s = 0; s < scopes.Count; s++)
            {
                AppendScope(text, "ScopeMetrics", s, scopes[s].Scope, scopes[s].SchemaUrl);
                var list = scopes[s].Metrics;
                for (int i = 0; i < list.Count; i++)
                {
                    AppendMetric(text, i, list[i]);
                }
            }
        }

        return text.ToString();
    }

    private static void AppendMetric(StringBuilder text, int index, Metric metric)
    {
        text.Append("Metric #").Append(index).Append('\n');
        text.Append("Descriptor:\n");
        text.Append("     -> Name: ").Append(metric.Name).Append('\n');
        text.Append("     -> Description: ").Append(metric.Description).Append('\n');
        text.Append("     -> Unit: ").Append(metric.Unit).Append('\n');
        text.Append("     -> DataType: ").Append(metric.DataCase switch
        {
            Metric.DataOneofCase.Gauge => "Gauge",
            Metric.DataOneofCase.Sum => "Sum",
            Metric.DataOneofCase.Histogram => "Histogram",
            Metric.DataOneofCase.ExponentialHistogram => "ExponentialHistogram",
            Metric.DataOneofCase.Summary => "Summary",
            _ => "Empty",
        }).Append('\n');
        switch (metric.DataCase)
        {
            case Metric.DataOneofCase.Gauge:
                AppendNumberPoints(text, metric.Gauge.DataPoints);
                break;
            case Metric.DataOneofCase.Sum:
                text.Append("     -> IsMonotonic: ").Append(metric.Sum.IsMonotonic ? "true" : "false").Append('\n');
                text.Append("     -> AggregationTemporality: ").Append(Temporality(metric.Sum.AggregationTemporality)).Append('\n');
                AppendNumberPoints(text, metric.Sum.DataPoints);
                break;
            case Metric.DataOneofCase.Histogram:
                text.Append("     -> AggregationTemporality: ").Append(Temporality(metric.Histogram.AggregationTemporality)).Append('\n');
                AppendHistogramPoints(text, metric.Histogram.DataPoints);
                break;
            case Metric.DataOneofCase.ExponentialHistogram:
                text.Append("     -> AggregationTemporality: ").Append(Temporality(metric.ExponentialHistogram.AggregationTemporality)).Append('\n');
                AppendExponentialPoints(text, metric.ExponentialHistogram.DataPoints);
                break;
            case Metric.DataOneofCase.Summary:
                AppendSummaryPoints(text, metric.Summary.DataPoints);
                break;
            default:
                break;
        }
    }

    private static void AppendNumberPoints(StringBuilder text, RepeatedField<NumberDataPoint> points)
    {
        for (int i = 0; i < points.Count; i++)
        {
            var p = points[i];
            AppendPointHeader(text, "NumberDataPoints", i, p.Attributes, p.StartTimeUnixNano, p.TimeUnixNano);
            text.Append("Value: ").Append(NumberValue(p)).Append('\n');
            AppendExemplars(text, p.Exemplars);
        }
    }

    private static void AppendHistogramPoints(StringBuilder text, RepeatedField<HistogramDataPoint> points)
    {
        for (int i = 0; i < points.Count; i++)
        {
            var p = points[i];
            AppendPointHeader(text, "HistogramDataPoints", i, p.Attributes, p.StartTimeUnixNano, p.TimeUnixNano);
            AppendDistributionStats(text, p.Count, p.HasSum, p.Sum, p.HasMin, p.Min, p.HasMax, p.Max);

            for (int b = 0; b < p.ExplicitBounds.Count; b++)
            {
                text.Append("ExplicitBounds #").Append(b).Append(": ").Append(Number(p.ExplicitBounds[b])).Append('\n');
            }

            for (int b = 0; b < p.BucketCounts.Count; b++)
            {
                text.Append("Buckets #").Append(b).Append(", Count: ").Append(p.BucketCounts[b]).Append('\n');
            }

            AppendExemplars(text, p.Exemplars);
        }
    }

    private static void AppendExponentialPoints(StringBuilder text, RepeatedField<ExponentialHistogramDataPoint> points)
    {
        for (int i = 0; i < points.Count; i++)
        {
            var p = points[i];
            AppendPointHeader(text, "ExponentialHistogramDataPoints", i, p.Attributes, p.StartTimeUnixNano, p.TimeUnixNano);
            AppendDistributionStats(text, p.Count, p.HasSum, p.Sum, p.HasMin, p.Min, p.HasMax, p.Max);

            text.Append("Scale: ").Append(p.Scale).Append('\n');
            text.Append("ZeroCount: ").Append(p.ZeroCount).Append('\n');
            AppendBuckets(text, "Positive", p.Positive);
            AppendBuckets(text, "Negative", p.Negative);
            AppendExemplars(text, p.Exemplars);
        }
    }

    /// <summary>The lines every detailed data point starts with: its kind and index, attributes and both timestamps.</summary>
    private static void AppendPointHeader(StringBuilder text, string kind, int index, RepeatedField<OpenTelemetry.Proto.Common.V1.KeyValue> attributes, ulong startTimeUnixNano, ulong timeUnixNano)
    {
        text.Append(kind).Append(" #").Append(index).Append('\n');
        AppendAttributeBlock(text, "Data point attributes", attributes);
        text.Append("StartTimestamp: ").Append(Time(startTimeUnixNano)).Append('\n');
        text.Append("Timestamp: ").Append(Time(timeUnixNano)).Append('\n');
    }

    /// <summary>Count, then sum, min and max where present: shared by histogram, exponential histogram and summary points.</summary>
    private static void AppendDistributionStats(StringBuilder text, ulong count, bool hasSum, double sum, bool hasMin, double min, bool hasMax, double max)
    {
        text.Append("Count: ").Append(count).Append('\n');
        if (hasSum)
        {
            text.Append("Sum: ").Append(Number(sum)).Append('\n');
        }

        if (hasMin)
        {
            text.Append("Min: ").Append(Number(min)).Append('\n');
        }

        if (hasMax)
        {
            text.Append("Max: ").Append(Number(max)).Append('\n');
        }
    }

    private static void AppendBuckets(StringBuilder text, string side, ExponentialHistogramDataPoint.Types.Buckets? buckets)
    {
        if (buckets is null)
        {
            return;
        }

        text.Append(side).Append(" Offset: ").Append(buckets.Offset).Append('\n');
        for (int b = 0; b < buckets.BucketCounts.Count; b++)
        {
            text.Append(side).Append(" Bucket #").Append(b).Append(", Count: ").Append(buckets.BucketCounts[b]).Append('\n');
        }
    }

    private static void AppendSummaryPoints(StringBuilder text, RepeatedField<SummaryDataPoint> points)
    {
        for (int i = 0; i < points.Count; i++)
        {
            var p = points[i];
            AppendPointHeader(text, "SummaryDataPoints", i, p.Attributes, p.StartTimeUnixNano, p.TimeUnixNano);
            AppendDistributionStats(text, p.Count, hasSum: true, p.Sum, hasMin: false, 0, hasMax: false, 0);
            for (int q = 0; q < p.QuantileValues.Count; q++)
            {
                text.Append("QuantileValue #").Append(q).Append(": Quantile ").Append(Number(p.QuantileValues[q].Quantile))
                    .Append(", Value ").Append(Number(p.QuantileValues[q].Value)).Append('\n');
            }
        }
    }

    private static void AppendExemplars(StringBuilder text, RepeatedField<Exemplar> exemplars)
    {
        if (exemplars.Count == 0)
        {
            return;
        }

        text.Append("Exemplars:\n");
        for (int i = 0; i < exemplars.Count; i++)
        {
            var e = exemplars[i];
            text.Append("Exemplar #").Append(i).Append('\n');
            text.Append("     -> Trace ID: ").Append(Hex(e.TraceId)).Append('\n');
            text.Append("     -> Span ID: ").Append(Hex(e.SpanId)).Append('\n');
            text.Append("     -> Timestamp: ").Append(Time(e.TimeUnixNano)).Append('\n');
            text.Append("     -> Value: ").Append(e.ValueCase == Exemplar.ValueOneofCase.AsInt
                ? e.AsInt.ToString(System.Globalization.CultureInfo.InvariantCulture)
                : Number(e.AsDouble)).Append('\n');
            AppendAttributeBlock(text, "-> FilteredAttributes", e.FilteredAttributes, "     ");
        }
    }

    private static string Temporality(AggregationTemporality temporality) => temporality switch
    {
        AggregationTemporality.Delta => "Delta",
        AggregationTemporality.Cumulative => "Cumulative",
        _ => "Unspecified",
    };
}
