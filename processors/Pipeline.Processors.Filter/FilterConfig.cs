using System.Globalization;
using Pipeline.Abstractions.Configuration;
using Pipeline.Processors.Ottl;

namespace Pipeline.Processors.Filter;

/// <summary>How evaluation errors are handled (<c>pkg/ottl</c> ErrorMode).</summary>
public enum ErrorMode
{
    /// <summary>The batch fails with a permanent error.</summary>
    Propagate,

    /// <summary>The condition counts as false; errors are logged.</summary>
    Ignore,

    /// <summary>The condition counts as false; nothing is logged.</summary>
    Silent,
}

/// <summary>A group of conditions sharing a context (<c>{context, conditions, error_mode}</c>); a null context is
/// inferred from the conditions, as for the flat list style.</summary>
public sealed class ContextConditions
{
    /// <summary>The context (<c>resource</c>, <c>scope</c>, <c>span</c>, <c>spanevent</c>, <c>metric</c>,
    /// <c>datapoint</c>, <c>log</c>), or null to infer it.</summary>
    public string? Context { get; set; }

    /// <summary>The conditions; an item is dropped when any is true.</summary>
    public List<string> Conditions { get; set; } = [];

    /// <summary>This group's error mode, or null for the processor's.</summary>
    public ErrorMode? ErrorMode { get; set; }
}

/// <summary>A legacy <c>include</c>/<c>exclude</c> block (<c>spans</c>, <c>metrics</c>, <c>logs</c>).</summary>
public sealed class LegacyMatchConfig
{
    /// <summary><c>match_type</c>: <c>strict</c> or <c>regexp</c> (<c>expr</c> is refused as unsupported).</summary>
    public string MatchType { get; set; } = string.Empty;

    /// <summary>Span: <c>services</c> (resource <c>service.name</c>).</summary>
    public List<string> Services { get; set; } = [];

    /// <summary>Span: <c>span_names</c>.</summary>
    public List<string> SpanNames { get; set; } = [];

    /// <summary>Span: <c>span_kinds</c> (<c>SPAN_KIND_SERVER</c> …).</summary>
    public List<string> SpanKinds { get; set; } = [];

    /// <summary>Span: <c>attributes</c>; log: <c>record_attributes</c>.</summary>
    public List<KeyValuePair<string, OpenTelemetry.Proto.Common.V1.AnyValue?>> Attributes { get; set; } = [];

    /// <summary>Span: <c>resources</c>; metric and log: <c>resource_attributes</c>.</summary>
    public List<KeyValuePair<string, OpenTelemetry.Proto.Common.V1.AnyValue?>> Resources { get; set; } = [];

    /// <summary>Span: <c>libraries</c> (<c>name</c>, optional <c>version</c>).</summary>
    public List<KeyValuePair<string, string?>> Libraries { get; set; } = [];

    /// <summary>Metric: <c>metric_names</c>.</summary>
    public List<string> MetricNames { get; set; } = [];

    /// <summary>Metric: <c>expressions</c> (only with <c>match_type: expr</c>, which is refused).</summary>
    public List<string> Expressions { get; set; } = [];

    /// <summary>Log: <c>severity_texts</c>.</summary>
    public List<string> SeverityTexts { get; set; } = [];

    /// <summary>Log: <c>bodies</c>.</summary>
    public List<string> Bodies { get; set; } = [];

    /// <summary>Log: <c>severity_number.min</c> as a number, or null when not set.</summary>
    public int? SeverityNumberMin { get; set; }

    /// <summary>Log: <c>severity_number.match_undefined</c>. Default false.</summary>
    public bool SeverityNumberMatchUndefined { get; set; }
}

/// <summary>The <c>filter</c> processor's config (otelcol-contrib <c>processor/filterprocessor/config.go</c>).</summary>
public sealed class FilterConfig : IComponentConfig
{
    private static readonly string[] SeverityNames = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"];

    /// <summary><c>error_mode</c>. Default <see cref="Filter.ErrorMode.Propagate"/>.</summary>
    public ErrorMode ErrorMode { get; set; } = ErrorMode.Propagate;

    /// <summary><c>trace_conditions</c>; null when not set.</summary>
    public List<ContextConditions>? TraceConditions { get; set; }

    /// <summary><c>metric_conditions</c>; null when not set.</summary>
    public List<ContextConditions>? MetricConditions { get; set; }

    /// <summary><c>log_conditions</c>; null when not set.</summary>
    public List<ContextConditions>? LogConditions { get; set; }

    /// <summary>Deprecated <c>traces.resource</c>; null when not set.</summary>
    public List<string>? TracesResource { get; set; }

    /// <summary>Deprecated <c>traces.span</c>; null when not set.</summary>
    public List<string>? TracesSpan { get; set; }

    /// <summary>Deprecated <c>traces.spanevent</c>; null when not set.</summary>
    public List<string>? TracesSpanEvent { get; set; }

    /// <summary>Deprecated <c>metrics.resource</c>; null when not set.</summary>
    public List<string>? MetricsResource { get; set; }

    /// <summary>Deprecated <c>metrics.metric</c>; null when not set.</summary>
    public List<string>? MetricsMetric { get; set; }

    /// <summary>Deprecated <c>metrics.datapoint</c>; null when not set.</summary>
    public List<string>? MetricsDataPoint { get; set; }

    /// <summary>Deprecated <c>logs.resource</c>; null when not set.</summary>
    public List<string>? LogsResource { get; set; }

    /// <summary>Deprecated <c>logs.log_record</c>; null when not set.</summary>
    public List<string>? LogsLogRecord { get; set; }

    /// <summary>Legacy <c>spans.include</c>; null when not set.</summary>
    public LegacyMatchConfig? SpansInclude { get; set; }

    /// <summary>Legacy <c>spans.exclude</c>; null when not set.</summary>
    public LegacyMatchConfig? SpansExclude { get; set; }

    /// <summary>Legacy <c>metrics.include</c>; null when not set.</summary>
    public LegacyMatchConfig? MetricsInclude { get; set; }

    /// <summary>Legacy <c>metrics.exclude</c>; null when not set.</summary>
    public LegacyMatchConfig? MetricsExclude { get; set; }

    /// <summary>Legacy <c>logs.include</c>; null when not set.</summary>
    public LegacyMatchConfig? LogsInclude { get; set; }

    /// <summary>Legacy <c>logs.exclude</c>; null when not set.</summary>
    public LegacyMatchConfig? LogsExclude { get; set; }

    /// <summary>The compiled plan, set by <see cref="Validate"/> when the config is valid.</summary>
    internal FilterPlan? Compiled { get; private set; }

    /// <inheritdoc />
    public void Bind(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        if (section.GetNode("error_mode") is not null)
        {
            string mode = section.GetString("error_mode", "propagate");
            if (ParseErrorMode(mode) is { } parsed)
            {
                ErrorMode = parsed;
            }
            else
            {
                section.Error("error_mode", $"unknown error mode {mode}.");
            }
        }

        TraceConditions = BindContextConditions(section, "trace_conditions") ?? TraceConditions;
        MetricConditions = BindContextConditions(section, "metric_conditions") ?? MetricConditions;
        LogConditions = BindContextConditions(section, "log_conditions") ?? LogConditions;
        if (section.GetSection("traces") is { } traces)
        {
            TracesResource = OptionalList(traces, "resource");
            TracesSpan = OptionalList(traces, "span");
            TracesSpanEvent = OptionalList(traces, "spanevent");
            traces.Finish();
        }

        if (section.GetSection("metrics") is { } metrics)
        {
            MetricsResource = OptionalList(metrics, "resource");
            MetricsMetric = OptionalList(metrics, "metric");
            MetricsDataPoint = OptionalList(metrics, "datapoint");
            MetricsInclude = metrics.GetSection("include") is { } i ? BindLegacy(i, Signal.Metrics) : null;
            MetricsExclude = metrics.GetSection("exclude") is { } e ? BindLegacy(e, Signal.Metrics) : null;
            metrics.Finish();
        }

        if (section.GetSection("logs") is { } logs)
        {
            LogsResource = OptionalList(logs, "resource");
            LogsLogRecord = OptionalList(logs, "log_record");
            LogsInclude = logs.GetSection("include") is { } i ? BindLegacy(i, Signal.Logs) : null;
            LogsExclude = logs.GetSection("exclude") is { } e ? BindLegacy(e, Signal.Logs) : null;
            logs.Finish();
        }

        if (section.GetSection("spans") is { } spans)
        {
            SpansInclude = spans.GetSection("include") is { } i ? BindLegacy(i, Signal.Traces) : null;
            SpansExclude = spans.GetSection("exclude") is { } e ? BindLegacy(e, Signal.Traces) : null;
            spans.Finish();
        }

        section.Finish();
    }

    /// <inheritdoc />
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        bool nestedTraces = TracesResource is not null || TracesSpan is not null || TracesSpanEvent is not null;
        bool nestedMetrics = MetricsResource is not null || MetricsMetric is not null || MetricsDataPoint is not null;
        bool nestedLogs = LogsResource is not null || LogsLogRecord is not null;
        if (TraceConditions is not null && (nestedTraces || SpansInclude is not null || SpansExclude is not null))
        {
            errors.Add(string.Empty, "cannot use context inferred trace conditions \"trace_conditions\" and the settings \"traces.resource\", \"traces.span\", \"traces.spanevent\" at the same time.");
            return;
        }

        if (MetricConditions is not null && (nestedMetrics || MetricsInclude is not null || MetricsExclude is not null))
        {
            errors.Add(string.Empty, "cannot use context inferred metric conditions \"metric_conditions\" and the settings \"metrics.resource\", \"metrics.metric\", \"metrics.datapoint\", \"metrics.include\", \"metrics.exclude\" at the same time.");
            return;
        }

        if (LogConditions is not null && (nestedLogs || LogsInclude is not null || LogsExclude is not null))
        {
            errors.Add(string.Empty, "cannot use context inferred log conditions \"log_conditions\" and the settings \"logs.resource\", \"logs.log\", \"logs.include\", \"logs.exclude\" at the same time.");
            return;
        }

        if (nestedTraces && (SpansInclude is not null || SpansExclude is not null))
        {
            errors.Add(string.Empty, "cannot use \"traces.resource\", \"traces.span\", \"traces.spanevent\" and the span settings \"spans.include\", \"spans.exclude\" at the same time.");
            return;
        }

        if (nestedMetrics && (MetricsInclude is not null || MetricsExclude is not null))
        {
            errors.Add(string.Empty, "cannot use \"metrics.resource\", \"metrics.metric\", \"metrics.datapoint\" and the settings \"metrics.include\", \"metrics.exclude\" at the same time.");
            return;
        }

        if (nestedLogs && (LogsInclude is not null || LogsExclude is not null))
        {
            errors.Add(string.Empty, "cannot use \"logs.resource\", \"logs.log\" and the settings \"logs.include\", \"logs.exclude\" at the same time.");
            return;
        }

        var messages = new List<(string Key, string Message)>();
        var plan = FilterPlan.Create(this, messages);
        foreach (var (key, message) in messages)
        {
            errors.Add(key, message.EndsWith('.') ? message : message + ".");
        }

        Compiled = messages.Count == 0 ? plan : null;
    }

    /// <summary>The compiled plan (compiling now if <see cref="Validate"/> did not run).</summary>
    /// <exception cref="InvalidOperationException">The config is invalid.</exception>
    internal FilterPlan GetPlan()
    {
        if (Compiled is not null)
        {
            return Compiled;
        }

        var messages = new List<(string Key, string Message)>();
        var plan = FilterPlan.Create(this, messages);
        if (messages.Count > 0)
        {
            var sb = new System.Text.StringBuilder();
            foreach (var (key, message) in messages)
            {
                sb.Append(key).Append(": ").Append(message).Append(' ');
            }

            throw new InvalidOperationException(sb.ToString().TrimEnd());
        }

        return plan;
    }

    internal static ErrorMode? ParseErrorMode(string text) => text.ToLowerInvariant() switch
    {
        "propagate" => Filter.ErrorMode.Propagate,
        "ignore" => Filter.ErrorMode.Ignore,
        "silent" => Filter.ErrorMode.Silent,
        _ => null,
    };

    private static List<string>? OptionalList(ConfigSection section, string key) =>
        section.Has(key) ? section.GetStringList(key, []) : null;

    private static List<ContextConditions>? BindContextConditions(ConfigSection section, string key)
    {
        var node = section.GetNode(key);
        switch (node)
        {
            case null:
                return null;
            case ConfigScalar { IsNull: true }:
                return [];
            case ConfigList:
                break;
            default:
                section.Error(key, $"invalid {key} type, expected: array, got: {node.KindName}.");
                return null;
        }

        var list = (ConfigList)node;

        var groups = new List<ContextConditions>();
        ContextConditions? basic = null;
        for (int i = 0; i < list.Items.Count; i++)
        {
            var item = list.Items[i];
            switch (item)
            {
                case ConfigScalar { IsNull: true }:
                    section.Error(key, "condition cannot be empty.");
                    return null;
                case ConfigScalar scalar:
                    if (groups.Count > 0)
                    {
                        section.Error(key, "configuring multiple configuration styles is not supported, please use only Basic configuration or only Advanced configuration.");
                        return null;
                    }

                    (basic ??= new ContextConditions()).Conditions.Add(scalar.Value!);
                    break;
                default:
                    if (basic is not null)
                    {
                        section.Error(key, "configuring multiple configuration styles is not supported, please use only Basic configuration or only Advanced configuration.");
                        return null;
                    }

                    var s = new ConfigSection(item, section.PathOf(key) + "::" + i.ToString(CultureInfo.InvariantCulture), section.Errors);
                    var group = new ContextConditions
                    {
                        Context = s.GetOptionalString("context", null),
                        Conditions = s.GetStringList("conditions", []),
                    };
                    if (s.Has("error_mode"))
                    {
                        string mode = s.GetString("error_mode", string.Empty);
                        group.ErrorMode = ParseErrorMode(mode);
                        if (group.ErrorMode is null)
                        {
                            s.Error("error_mode", $"unknown error mode {mode}.");
                        }
                    }

                    s.Finish();
                    groups.Add(group);
                    break;
            }
        }

        if (basic is not null)
        {
            groups.Add(basic);
        }

        return groups;
    }

    private static LegacyMatchConfig BindLegacy(ConfigSection section, Signal signal)
    {
        var c = new LegacyMatchConfig { MatchType = section.GetString("match_type", string.Empty) };
        if (section.GetSection("regexp") is { } regexp)
        {
            regexp.GetBool("cacheenabled", false);
            regexp.GetInt32("cachemaxnumentries", 0, 0);
            regexp.Finish();
        }

        switch (signal)
        {
            case Signal.Traces:
                c.Services = section.GetStringList("services", c.Services);
                c.SpanNames = section.GetStringList("span_names", c.SpanNames);
                c.SpanKinds = section.GetStringList("span_kinds", c.SpanKinds);
                c.Attributes = BindAttributes(section, "attributes");
                c.Resources = BindAttributes(section, "resources");
                foreach (var library in section.GetSectionList("libraries") ?? [])
                {
                    c.Libraries.Add(new(library.GetString("name", string.Empty), library.GetOptionalString("version", null)));
                    library.Finish();
                }

                break;
            case Signal.Metrics:
                c.MetricNames = section.GetStringList("metric_names", c.MetricNames);
                c.Resources = BindAttributes(section, "resource_attributes");
                c.Expressions = section.GetStringList("expressions", c.Expressions);

                break;
            default:
                c.Resources = BindAttributes(section, "resource_attributes");
                c.Attributes = BindAttributes(section, "record_attributes");
                c.SeverityTexts = section.GetStringList("severity_texts", c.SeverityTexts);
                c.Bodies = section.GetStringList("bodies", c.Bodies);
                if (section.GetSection("severity_number") is { } severity)
                {
                    string min = severity.GetString("min", string.Empty);
                    if (min.Length > 0)
                    {
                        c.SeverityNumberMin = ParseSeverity(min);
                        if (c.SeverityNumberMin is null)
                        {
                            severity.Error("min", $"'{min}' is not a valid severity: not a valid severity.");
                        }
                    }

                    c.SeverityNumberMatchUndefined = severity.GetBool("match_undefined", false);
                    severity.Finish();
                }

                break;
        }

        section.Finish();
        return c;
    }

    private static int? ParseSeverity(string text)
    {
        string upper = text.ToUpperInvariant();
        for (int i = 0; i < SeverityNames.Length; i++)
        {
            string name = SeverityNames[i];
            if (upper == name)
            {
                return (i * 4) + 1;
            }

            for (int k = 2; k <= 4; k++)
            {
                if (upper == name + k.ToString(CultureInfo.InvariantCulture))
                {
                    return (i * 4) + k;
                }
            }
        }

        return null;
    }

    private static List<KeyValuePair<string, OpenTelemetry.Proto.Common.V1.AnyValue?>> BindAttributes(ConfigSection section, string key)
    {
        var result = new List<KeyValuePair<string, OpenTelemetry.Proto.Common.V1.AnyValue?>>();
        foreach (var attribute in section.GetSectionList(key) ?? [])
        {
            string k = attribute.GetString("key", string.Empty);
            var value = Common.AttributeValues.FromConfig(attribute.GetNode("value"));
            result.Add(new(k, value));
            attribute.Finish();
        }

        return result;
    }

    /// <summary>The signal a legacy block belongs to.</summary>
    internal enum Signal
    {
        Traces,
        Metrics,
        Logs,
    }
}
