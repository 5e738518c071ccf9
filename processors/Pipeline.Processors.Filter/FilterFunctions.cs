using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Metrics.V1;
using Google.Protobuf.Collections;
using Pipeline.Processors.Ottl;

namespace Pipeline.Processors.Filter;

/// <summary>The converters only the filter processor adds (metric context): <c>HasAttrKeyOnDatapoint(key)</c> and
/// <c>HasAttrOnDatapoint(key, value)</c>, true when any data point of the metric has the key (with that string value).</summary>
internal static class FilterFunctions
{
    public static readonly OttlFunction[] All =
    [
        new("HasAttrKeyOnDatapoint", OttlContext.Metric, a =>
        {
            a.ExpectCount(1);
            return new HasAttrOnDatapoint(a.LiteralString(0), null);
        }),
        new("HasAttrOnDatapoint", OttlContext.Metric, a =>
        {
            a.ExpectCount(2);
            return new HasAttrOnDatapoint(a.LiteralString(0), a.LiteralString(1));
        }),
    ];

    private sealed class HasAttrOnDatapoint(string key, string? value) : OttlExpression
    {
        public override OttlValue Evaluate(OttlItem item)
        {
            var m = item.Metric;
            if (m is null)
            {
                return OttlValue.Bool(false);
            }

            switch (m.DataCase)
            {
                case Metric.DataOneofCase.Gauge:
                    foreach (var p in m.Gauge.DataPoints)
                    {
                        if (Has(p.Attributes))
                        {
                            return OttlValue.Bool(true);
                        }
                    }

                    break;
                case Metric.DataOneofCase.Sum:
                    foreach (var p in m.Sum.DataPoints)
                    {
                        if (Has(p.Attributes))
                        {
                            return OttlValue.Bool(true);
                        }
                    }

                    break;
                case Metric.DataOneofCase.Histogram:
                    foreach (var p in m.Histogram.DataPoints)
                    {
                        if (Has(p.Attributes))
                        {
                            return OttlValue.Bool(true);
                        }
                    }

                    break;
                case Metric.DataOneofCase.ExponentialHistogram:
                    foreach (var p in m.ExponentialHistogram.DataPoints)
                    {
                        if (Has(p.Attributes))
                        {
                            return OttlValue.Bool(true);
                        }
                    }

                    break;
                case Metric.DataOneofCase.Summary:
                    foreach (var p in m.Summary.DataPoints)
                    {
                        if (Has(p.Attributes))
                        {
                            return OttlValue.Bool(true);
                        }
                    }

                    break;
            }

            return OttlValue.Bool(false);
        }

        private bool Has(RepeatedField<KeyValue> attributes)
        {
            var v = Common.AttributeValues.Get(attributes, key);
            if (v is null)
            {
                return false;
            }

            return value is null || (v.ValueCase == AnyValue.ValueOneofCase.StringValue && v.StringValue == value);
        }
    }
}
