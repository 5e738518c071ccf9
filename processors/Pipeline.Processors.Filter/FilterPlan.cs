using Pipeline.Processors.Ottl;

namespace Pipeline.Processors.Filter;

/// <summary>A compiled condition with the error mode that applies to it.</summary>
internal readonly record struct FilterRule(OttlCondition Condition, ErrorMode Mode);

/// <summary>Everything the processor evaluates, grouped by context, compiled once from the config.</summary>
internal sealed class FilterPlan
{
    private static readonly OttlContext[] TraceContexts = [OttlContext.Span, OttlContext.SpanEvent, OttlContext.Scope, OttlContext.Resource];
    private static readonly OttlContext[] MetricContexts = [OttlContext.Metric, OttlContext.DataPoint, OttlContext.Scope, OttlContext.Resource];
    private static readonly OttlContext[] LogContexts = [OttlContext.Log, OttlContext.Scope, OttlContext.Resource];

    public FilterRule[] TraceResource { get; private set; } = [];

    public FilterRule[] TraceScope { get; private set; } = [];

    public FilterRule[] Span { get; private set; } = [];

    public FilterRule[] SpanEvent { get; private set; } = [];

    public FilterRule[] MetricResource { get; private set; } = [];

    public FilterRule[] MetricScope { get; private set; } = [];

    public FilterRule[] Metric { get; private set; } = [];

    public FilterRule[] DataPoint { get; private set; } = [];

    public FilterRule[] LogResource { get; private set; } = [];

    public FilterRule[] LogScope { get; private set; } = [];

    public FilterRule[] Log { get; private set; } = [];

    public LegacyMatcher? SpanInclude { get; private set; }

    public LegacyMatcher? SpanExclude { get; private set; }

    public LegacyMatcher? MetricInclude { get; private set; }

    public LegacyMatcher? MetricExclude { get; private set; }

    public LegacyMatcher? LogInclude { get; private set; }

    public LegacyMatcher? LogExclude { get; private set; }

    public static FilterPlan Create(FilterConfig config, List<(string Key, string Message)> errors)
    {
        var plan = new FilterPlan();
        var mode = config.ErrorMode;
        var traces = NewBuckets();
        var metrics = NewBuckets();
        var logs = NewBuckets();
        AddGroups(config.TraceConditions, "trace_conditions", TraceContexts, mode, traces, errors);
        AddGroups(config.MetricConditions, "metric_conditions", MetricContexts, mode, metrics, errors);
        AddGroups(config.LogConditions, "log_conditions", LogContexts, mode, logs, errors);
        AddList(config.TracesResource, "traces::resource", OttlContext.Resource, mode, traces, errors);
        AddList(config.TracesSpan, "traces::span", OttlContext.Span, mode, traces, errors);
        AddList(config.TracesSpanEvent, "traces::spanevent", OttlContext.SpanEvent, mode, traces, errors);
        AddList(config.MetricsResource, "metrics::resource", OttlContext.Resource, mode, metrics, errors);
        AddList(config.MetricsMetric, "metrics::metric", OttlContext.Metric, mode, metrics, errors);
        AddList(config.MetricsDataPoint, "metrics::datapoint", OttlContext.DataPoint, mode, metrics, errors);
        AddList(config.LogsResource, "logs::resource", OttlContext.Resource, mode, logs, errors);
        AddList(config.LogsLogRecord, "logs::log_record", OttlContext.Log, mode, logs, errors);
        plan.TraceResource = [.. traces[OttlContext.Resource]];
        plan.TraceScope = [.. traces[OttlContext.Scope]];
        plan.Span = [.. traces[OttlContext.Span]];
        plan.SpanEvent = [.. traces[OttlContext.SpanEvent]];
        plan.MetricResource = [.. metrics[OttlContext.Resource]];
        plan.MetricScope = [.. metrics[OttlContext.Scope]];
        plan.Metric = [.. metrics[OttlContext.Metric]];
        plan.DataPoint = [.. metrics[OttlContext.DataPoint]];
        plan.LogResource = [.. logs[OttlContext.Resource]];
        plan.LogScope = [.. logs[OttlContext.Scope]];
        plan.Log = [.. logs[OttlContext.Log]];
        plan.SpanInclude = LegacyMatcher.Create(config.SpansInclude, "spans::include", errors);
        plan.SpanExclude = LegacyMatcher.Create(config.SpansExclude, "spans::exclude", errors);
        plan.MetricInclude = LegacyMatcher.Create(config.MetricsInclude, "metrics::include", errors);
        plan.MetricExclude = LegacyMatcher.Create(config.MetricsExclude, "metrics::exclude", errors);
        plan.LogInclude = LegacyMatcher.Create(config.LogsInclude, "logs::include", errors);
        plan.LogExclude = LegacyMatcher.Create(config.LogsExclude, "logs::exclude", errors);
        return plan;
    }

    private static Dictionary<OttlContext, List<FilterRule>> NewBuckets()
    {
        var d = new Dictionary<OttlContext, List<FilterRule>>();
        foreach (var c in Enum.GetValues<OttlContext>())
        {
            d[c] = [];
        }

        return d;
    }

    private static void AddGroups(List<ContextConditions>? groups, string key, OttlContext[] candidates, ErrorMode mode,
        Dictionary<OttlContext, List<FilterRule>> buckets, List<(string, string)> errors)
    {
        if (groups is null)
        {
            return;
        }

        foreach (var group in groups)
        {
            OttlContext context;
            try
            {
                if (group.Context is null)
                {
                    context = OttlCondition.InferContext(group.Conditions, candidates, FilterFunctions.All);
                }
                else if (!OttlContexts.TryParse(group.Context, out context) || Array.IndexOf(candidates, context) < 0)
                {
                    errors.Add((key, $"unknown context \"{group.Context}\""));
                    continue;
                }
            }
            catch (OttlParseException e)
            {
                errors.Add((key, e.Message));
                continue;
            }

            AddList(group.Conditions, key, context, group.ErrorMode ?? mode, buckets, errors);
        }
    }

    private static void AddList(List<string>? conditions, string key, OttlContext context, ErrorMode mode,
        Dictionary<OttlContext, List<FilterRule>> buckets, List<(string, string)> errors)
    {
        if (conditions is null)
        {
            return;
        }

        foreach (string condition in conditions)
        {
            try
            {
                buckets[context].Add(new FilterRule(OttlCondition.Parse(condition, context, FilterFunctions.All), mode));
            }
            catch (OttlParseException e)
            {
                errors.Add((key, e.Message));
            }
        }
    }
}
