using Google.Protobuf;
using Google.Protobuf.Collections;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace Pipeline.Telemetry;

/// <summary>
/// Cuts a batch into parts of at most N items (spans, data points, log records), as the batch processor's
/// <c>send_batch_max_size</c> needs.
/// </summary>
/// <remarks>
/// Items keep their order. Every part carries a copy of the resource and scope (with their schema URLs) of the items
/// it holds; resources and scopes without items are dropped. A metric whose data points fall into several parts is
/// repeated in each with its name, description, unit, metadata, type, temporality and monotonicity. Metrics without
/// data points are kept, in the part that holds the items around them, and count as zero items. A batch already
/// within the limit is returned as is (not decoded). The input is consumed: its items move into the parts, unless it
/// is read-only (shared by a fan-out), in which case they are deep-copied. Every part carries the input's client.
/// </remarks>
public static class SplitExtensions
{
    /// <summary>Splits spans into parts of at most <paramref name="maxItems"/> spans.</summary>
    public static IReadOnlyList<Traces> SplitByItems(this Traces data, int maxItems)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxItems, 1);
        if (data.ItemCount <= maxItems)
        {
            return [data];
        }

        bool copy = data.IsReadOnly;
        var parts = new List<Traces>();
        ExportTraceServiceRequest? current = null;
        int n = 0;
        foreach (var rs in data.Request.ResourceSpans)
        {
            ResourceSpans? partResource = null;
            foreach (var ss in rs.ScopeSpans)
            {
                ScopeSpans? partScope = null;
                foreach (var span in ss.Spans)
                {
                    if (current is null)
                    {
                        current = new ExportTraceServiceRequest();
                        partResource = null;
                        partScope = null;
                    }

                    if (partResource is null)
                    {
                        partResource = new ResourceSpans { Resource = rs.Resource?.Clone(), SchemaUrl = rs.SchemaUrl };
                        current.ResourceSpans.Add(partResource);
                        partScope = null;
                    }

                    if (partScope is null)
                    {
                        partScope = new ScopeSpans { Scope = ss.Scope?.Clone(), SchemaUrl = ss.SchemaUrl };
                        partResource.ScopeSpans.Add(partScope);
                    }

                    partScope.Spans.Add(copy ? span.Clone() : span);
                    if (++n == maxItems)
                    {
                        parts.Add(Traces.FromRequest(current).WithClient(data.Client));
                        current = null;
                        n = 0;
                    }
                }
            }
        }

        if (current is not null)
        {
            parts.Add(Traces.FromRequest(current).WithClient(data.Client));
        }

        return parts;
    }

    /// <summary>Splits log records into parts of at most <paramref name="maxItems"/> records.</summary>
    public static IReadOnlyList<Logs> SplitByItems(this Logs data, int maxItems)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxItems, 1);
        if (data.ItemCount <= maxItems)
        {
            return [data];
        }

        bool copy = data.IsReadOnly;
        var parts = new List<Logs>();
        ExportLogsServiceRequest? current = null;
        int n = 0;
        foreach (var rl in data.Request.ResourceLogs)
        {
            ResourceLogs? partResource = null;
            foreach (var sl in rl.ScopeLogs)
            {
                ScopeLogs? partScope = null;
                foreach (var record in sl.LogRecords)
                {
                    if (current is null)
                    {
                        current = new ExportLogsServiceRequest();
                        partResource = null;
                        partScope = null;
                    }

                    if (partResource is null)
                    {
                        partResource = new ResourceLogs { Resource = rl.Resource?.Clone(), SchemaUrl = rl.SchemaUrl };
                        current.ResourceLogs.Add(partResource);
                        partScope = null;
                    }

                    if (partScope is null)
                    {
                        partScope = new ScopeLogs { Scope = sl.Scope?.Clone(), SchemaUrl = sl.SchemaUrl };
                        partResource.ScopeLogs.Add(partScope);
                    }

                    partScope.LogRecords.Add(copy ? record.Clone() : record);
                    if (++n == maxItems)
                    {
                        parts.Add(Logs.FromRequest(current).WithClient(data.Client));
                        current = null;
                        n = 0;
                    }
                }
            }
        }

        if (current is not null)
        {
            parts.Add(Logs.FromRequest(current).WithClient(data.Client));
        }

        return parts;
    }

    /// <summary>Splits metrics into parts of at most <paramref name="maxItems"/> data points.</summary>
    public static IReadOnlyList<Metrics> SplitByItems(this Metrics data, int maxItems)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxItems, 1);
        if (data.ItemCount <= maxItems)
        {
            return [data];
        }

        bool copy = data.IsReadOnly;
        var parts = new List<Metrics>();
        ExportMetricsServiceRequest? current = null;
        ResourceMetrics? partResource = null;
        ScopeMetrics? partScope = null;
        int n = 0;
        foreach (var rm in data.Request.ResourceMetrics)
        {
            partResource = null;
            foreach (var sm in rm.ScopeMetrics)
            {
                partScope = null;
                foreach (var metric in sm.Metrics)
                {
                    int total = Metrics.DataPointCount(metric);
                    int taken = 0;
                    do
                    {
                        if (current is null)
                        {
                            current = new ExportMetricsServiceRequest();
                            partResource = null;
                            partScope = null;
                        }

                        if (partResource is null)
                        {
                            partResource = new ResourceMetrics { Resource = rm.Resource?.Clone(), SchemaUrl = rm.SchemaUrl };
                            current.ResourceMetrics.Add(partResource);
                            partScope = null;
                        }

                        if (partScope is null)
                        {
                            partScope = new ScopeMetrics { Scope = sm.Scope?.Clone(), SchemaUrl = sm.SchemaUrl };
                            partResource.ScopeMetrics.Add(partScope);
                        }

                        int take = Math.Min(maxItems - n, total - taken);
                        if (taken == 0 && take == total)
                        {
                            partScope.Metrics.Add(copy ? metric.Clone() : metric);
                        }
                        else
                        {
                            partScope.Metrics.Add(Slice(metric, taken, take, copy));
                        }

                        taken += take;
                        n += take;
                        if (n == maxItems)
                        {
                            parts.Add(Metrics.FromRequest(current).WithClient(data.Client));
                            current = null;
                            n = 0;
                        }
                    }
                    while (taken < total);
                }
            }
        }

        if (current is not null)
        {
            parts.Add(Metrics.FromRequest(current).WithClient(data.Client));
        }

        return parts;
    }

    /// <summary>A copy of the metric's identity and type holding data points [start, start + count).</summary>
    private static Metric Slice(Metric metric, int start, int count, bool copy)
    {
        var part = new Metric { Name = metric.Name, Description = metric.Description, Unit = metric.Unit };
        foreach (var kv in metric.Metadata)
        {
            part.Metadata.Add(kv.Clone());
        }

        switch (metric.DataCase)
        {
            case Metric.DataOneofCase.Gauge:
                part.Gauge = new Gauge();
                CopyRange(metric.Gauge.DataPoints, start, count, part.Gauge.DataPoints, copy);
                break;
            case Metric.DataOneofCase.Sum:
                part.Sum = new Sum { AggregationTemporality = metric.Sum.AggregationTemporality, IsMonotonic = metric.Sum.IsMonotonic };
                CopyRange(metric.Sum.DataPoints, start, count, part.Sum.DataPoints, copy);
                break;
            case Metric.DataOneofCase.Histogram:
                part.Histogram = new Histogram { AggregationTemporality = metric.Histogram.AggregationTemporality };
                CopyRange(metric.Histogram.DataPoints, start, count, part.Histogram.DataPoints, copy);
                break;
            case Metric.DataOneofCase.ExponentialHistogram:
                part.ExponentialHistogram = new ExponentialHistogram { AggregationTemporality = metric.ExponentialHistogram.AggregationTemporality };
                CopyRange(metric.ExponentialHistogram.DataPoints, start, count, part.ExponentialHistogram.DataPoints, copy);
                break;
            case Metric.DataOneofCase.Summary:
                part.Summary = new Summary();
                CopyRange(metric.Summary.DataPoints, start, count, part.Summary.DataPoints, copy);
                break;
        }

        return part;
    }

    private static void CopyRange<T>(RepeatedField<T> source, int start, int count, RepeatedField<T> destination, bool copy)
        where T : IDeepCloneable<T>
    {
        for (int i = start; i < start + count; i++)
        {
            destination.Add(copy ? source[i].Clone() : source[i]);
        }
    }
}
