using Google.Protobuf;
using Google.Protobuf.Collections;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Telemetry;

namespace Pipeline.Processors.Batch;

/// <summary>
/// Moves the first N items of a decoded request into a new request, keeping resource and scope wrappers
/// (otelcol's <c>splitTraces</c>/<c>splitMetrics</c>/<c>splitLogs</c>). Private to the batch processor until the
/// model offers a shared split.
/// </summary>
internal static class ItemSplitter
{
    /// <summary>Removes the first <paramref name="count"/> spans from <paramref name="source"/> and returns them.</summary>
    public static ExportTraceServiceRequest SplitTraces(ExportTraceServiceRequest source, int count)
    {
        var head = new ExportTraceServiceRequest();
        int left = count;
        int whole = 0;
        var resources = source.ResourceSpans;
        while (whole < resources.Count && left > 0)
        {
            var rs = resources[whole];
            int n = CountSpans(rs);
            if (n <= left)
            {
                head.ResourceSpans.Add(rs);
                left -= n;
                whole++;
                continue;
            }

            var rsHead = CloneShell(rs, rs.ScopeSpans, static r => r.ScopeSpans);
            head.ResourceSpans.Add(rsHead);
            int wholeScopes = 0;
            while (left > 0)
            {
                var ss = rs.ScopeSpans[wholeScopes];
                if (ss.Spans.Count <= left)
                {
                    rsHead.ScopeSpans.Add(ss);
                    left -= ss.Spans.Count;
                    wholeScopes++;
                    continue;
                }

                var ssHead = CloneShell(ss, ss.Spans, static s => s.Spans);
                MovePrefix(ss.Spans, ssHead.Spans, left);
                rsHead.ScopeSpans.Add(ssHead);
                left = 0;
            }

            RemovePrefix(rs.ScopeSpans, wholeScopes);
        }

        RemovePrefix(resources, whole);
        return head;
    }

    /// <summary>Removes the first <paramref name="count"/> log records from <paramref name="source"/> and returns them.</summary>
    public static ExportLogsServiceRequest SplitLogs(ExportLogsServiceRequest source, int count)
    {
        var head = new ExportLogsServiceRequest();
        int left = count;
        int whole = 0;
        var resources = source.ResourceLogs;
        while (whole < resources.Count && left > 0)
        {
            var rl = resources[whole];
            int n = CountLogs(rl);
            if (n <= left)
            {
                head.ResourceLogs.Add(rl);
                left -= n;
                whole++;
                continue;
            }

            var rlHead = CloneShell(rl, rl.ScopeLogs, static r => r.ScopeLogs);
            head.ResourceLogs.Add(rlHead);
            int wholeScopes = 0;
            while (left > 0)
            {
                var sl = rl.ScopeLogs[wholeScopes];
                if (sl.LogRecords.Count <= left)
                {
                    rlHead.ScopeLogs.Add(sl);
                    left -= sl.LogRecords.Count;
                    wholeScopes++;
                    continue;
                }

                var slHead = CloneShell(sl, sl.LogRecords, static s => s.LogRecords);
                MovePrefix(sl.LogRecords, slHead.LogRecords, left);
                rlHead.ScopeLogs.Add(slHead);
                left = 0;
            }

            RemovePrefix(rl.ScopeLogs, wholeScopes);
        }

        RemovePrefix(resources, whole);
        return head;
    }

    /// <summary>Removes the first <paramref name="count"/> data points from <paramref name="source"/> and returns them.</summary>
    public static ExportMetricsServiceRequest SplitMetrics(ExportMetricsServiceRequest source, int count)
    {
        var head = new ExportMetricsServiceRequest();
        int left = count;
        int whole = 0;
        var resources = source.ResourceMetrics;
        while (whole < resources.Count && left > 0)
        {
            var rm = resources[whole];
            int n = CountPoints(rm);
            if (n <= left)
            {
                head.ResourceMetrics.Add(rm);
                left -= n;
                whole++;
                continue;
            }

            var rmHead = CloneShell(rm, rm.ScopeMetrics, static r => r.ScopeMetrics);
            head.ResourceMetrics.Add(rmHead);
            int wholeScopes = 0;
            while (left > 0)
            {
                var sm = rm.ScopeMetrics[wholeScopes];
                int scopePoints = CountPoints(sm);
                if (scopePoints <= left)
                {
                    rmHead.ScopeMetrics.Add(sm);
                    left -= scopePoints;
                    wholeScopes++;
                    continue;
                }

                var smHead = CloneShell(sm, sm.Metrics, static s => s.Metrics);
                rmHead.ScopeMetrics.Add(smHead);
                int wholeMetrics = 0;
                while (left > 0)
                {
                    var metric = sm.Metrics[wholeMetrics];
                    int points = Metrics.DataPointCount(metric);
                    if (points <= left)
                    {
                        smHead.Metrics.Add(metric);
                        left -= points;
                        wholeMetrics++;
                        continue;
                    }

                    smHead.Metrics.Add(SplitMetric(metric, left));
                    left = 0;
                }

                RemovePrefix(sm.Metrics, wholeMetrics);
            }

            RemovePrefix(rm.ScopeMetrics, wholeScopes);
        }

        RemovePrefix(resources, whole);
        return head;
    }

    private static Metric SplitMetric(Metric metric, int count) => metric.DataCase switch
    {
        Metric.DataOneofCase.Gauge => SplitPoints(metric, metric.Gauge.DataPoints, static m => m.Gauge.DataPoints, count),
        Metric.DataOneofCase.Sum => SplitPoints(metric, metric.Sum.DataPoints, static m => m.Sum.DataPoints, count),
        Metric.DataOneofCase.Histogram => SplitPoints(metric, metric.Histogram.DataPoints, static m => m.Histogram.DataPoints, count),
        Metric.DataOneofCase.ExponentialHistogram => SplitPoints(metric, metric.ExponentialHistogram.DataPoints, static m => m.ExponentialHistogram.DataPoints, count),
        Metric.DataOneofCase.Summary => SplitPoints(metric, metric.Summary.DataPoints, static m => m.Summary.DataPoints, count),
        _ => throw new InvalidOperationException("A metric without data points cannot be split."),
    };

    private static Metric SplitPoints<TPoint>(Metric metric, RepeatedField<TPoint> points, Func<Metric, RepeatedField<TPoint>> select, int count)
    {
        var head = CloneShell(metric, points, select);
        MovePrefix(points, select(head), count);
        return head;
    }

    /// <summary>Deep-clones a container without its (possibly large) child list, which is left untouched.</summary>
    private static TContainer CloneShell<TContainer, TChild>(TContainer container, RepeatedField<TChild> children, Func<TContainer, RepeatedField<TChild>> select)
        where TContainer : IDeepCloneable<TContainer>
    {
        var saved = new TChild[children.Count];
        children.CopyTo(saved, 0);
        children.Clear();
        var shell = container.Clone();
        children.AddRange(saved);
        select(shell).Clear();
        return shell;
    }

    private static void MovePrefix<T>(RepeatedField<T> source, RepeatedField<T> target, int count)
    {
        var all = new T[source.Count];
        source.CopyTo(all, 0);
        source.Clear();
        for (int i = 0; i < all.Length; i++)
        {
            (i < count ? target : source).Add(all[i]);
        }
    }

    private static void RemovePrefix<T>(RepeatedField<T> list, int count)
    {
        if (count == 0)
        {
            return;
        }

        var rest = new T[list.Count - count];
        for (int i = count; i < list.Count; i++)
        {
            rest[i - count] = list[i];
        }

        list.Clear();
        list.AddRange(rest);
    }

    private static int CountSpans(ResourceSpans rs)
    {
        int n = 0;
        foreach (var ss in rs.ScopeSpans)
        {
            n += ss.Spans.Count;
        }

        return n;
    }

    private static int CountLogs(ResourceLogs rl)
    {
        int n = 0;
        foreach (var sl in rl.ScopeLogs)
        {
            n += sl.LogRecords.Count;
        }

        return n;
    }

    private static int CountPoints(ResourceMetrics rm)
    {
        int n = 0;
        foreach (var sm in rm.ScopeMetrics)
        {
            n += CountPoints(sm);
        }

        return n;
    }

    private static int CountPoints(ScopeMetrics sm)
    {
        int n = 0;
        foreach (var m in sm.Metrics)
        {
            n += Metrics.DataPointCount(m);
        }

        return n;
    }
}
