using OpenTelemetry.Proto.Common.V1;
using Pipeline.Abstractions.Configuration;
using Pipeline.Processors.Common;

namespace Pipeline.Processors.Attributes;

/// <summary>An <c>include</c> or <c>exclude</c> block (otelcol-contrib <c>internal/filter/filterconfig.MatchProperties</c>).
/// Every property given must match; within a list property one entry matching is enough.</summary>
public sealed class MatchPropertiesConfig
{
    /// <summary>The list of span kind names valid with <c>match_type: strict</c>.</summary>
    internal static readonly string[] SpanKindNames = ["SPAN_KIND_CLIENT", "SPAN_KIND_CONSUMER", "SPAN_KIND_INTERNAL", "SPAN_KIND_PRODUCER", "SPAN_KIND_SERVER"];

    /// <summary><c>strict</c> or <c>regexp</c> (unanchored RE2 match). Required.</summary>
    public string MatchType { get; set; } = string.Empty;

    /// <summary><c>regexp::cacheenabled</c>: accepted; matches are not cached (compiled patterns are fast enough).</summary>
    public bool RegexpCacheEnabled { get; set; }

    /// <summary><c>regexp::cachemaxnumentries</c>: accepted, unused.</summary>
    public int RegexpCacheMaxNumEntries { get; set; }

    /// <summary>Resource <c>service.name</c> values (spans only).</summary>
    public List<string> Services { get; set; } = [];

    /// <summary>Span names (spans only).</summary>
    public List<string> SpanNames { get; set; } = [];

    /// <summary>Span kinds such as <c>SPAN_KIND_SERVER</c> (spans only).</summary>
    public List<string> SpanKinds { get; set; } = [];

    /// <summary>Log bodies, compared as strings (logs only).</summary>
    public List<string> LogBodies { get; set; } = [];

    /// <summary>Log severity texts (logs only).</summary>
    public List<string> LogSeverityTexts { get; set; } = [];

    /// <summary>Lowest log severity number to match (logs only); null when not set.</summary>
    public int? LogSeverityNumberMin { get; set; }

    /// <summary>Whether records without a severity number match <see cref="LogSeverityNumberMin"/>.</summary>
    public bool LogSeverityNumberMatchUndefined { get; set; }

    /// <summary>Metric names (metrics only).</summary>
    public List<string> MetricNames { get; set; } = [];

    /// <summary>Item attributes that must all be present (and equal to the value when one is given).</summary>
    public List<KeyValuePair<string, AnyValue?>> Attributes { get; set; } = [];

    /// <summary>Resource attributes that must all be present (and equal to the value when one is given).</summary>
    public List<KeyValuePair<string, AnyValue?>> Resources { get; set; } = [];

    /// <summary>Instrumentation scopes: name, and version when given (null = any version).</summary>
    public List<KeyValuePair<string, string?>> Libraries { get; set; } = [];

    /// <summary>Reads the block.</summary>
    public static MatchPropertiesConfig Bind(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var c = new MatchPropertiesConfig
        {
            MatchType = section.GetString("match_type", string.Empty),
        };
        if (section.GetSection("regexp") is { } regexp)
        {
            c.RegexpCacheEnabled = regexp.GetBool("cacheenabled", false);
            c.RegexpCacheMaxNumEntries = regexp.GetInt32("cachemaxnumentries", 0, 0);
            regexp.Finish();
        }

        c.Services = section.GetStringList("services", c.Services);
        c.SpanNames = section.GetStringList("span_names", c.SpanNames);
        c.SpanKinds = section.GetStringList("span_kinds", c.SpanKinds);
        c.LogBodies = section.GetStringList("log_bodies", c.LogBodies);
        c.LogSeverityTexts = section.GetStringList("log_severity_texts", c.LogSeverityTexts);
        if (section.GetSection("log_severity_number") is { } severity)
        {
            c.LogSeverityNumberMin = ParseSeverity(severity);
            c.LogSeverityNumberMatchUndefined = severity.GetBool("match_undefined", false);
            severity.Finish();
        }

        c.MetricNames = section.GetStringList("metric_names", c.MetricNames);
        c.Attributes = BindAttributes(section, "attributes");
        c.Resources = BindAttributes(section, "resources");
        foreach (var library in section.GetSectionList("libraries") ?? [])
        {
            string name = library.GetString("name", string.Empty);
            string? version = library.GetOptionalString("version", null);
            c.Libraries.Add(new(name, version));
            library.Finish();
        }

        section.Finish();
        return c;
    }

    /// <summary>Checks the rules that hold for every signal; <paramref name="errors"/> is the block's view.</summary>
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (MatchType is not ("strict" or "regexp"))
        {
            errors.Add(string.Empty, $"unrecognized match_type: '{MatchType}', valid types are: [regexp strict].");
            return;
        }

        CheckAttributes(errors, "attributes", Attributes);
        CheckAttributes(errors, "resources", Resources);
        if (MatchType == "regexp")
        {
            CheckPatterns(errors, "services", Services);
            CheckPatterns(errors, "span_names", SpanNames);
            CheckPatterns(errors, "span_kinds", SpanKinds);
            CheckPatterns(errors, "log_bodies", LogBodies);
            CheckPatterns(errors, "log_severity_texts", LogSeverityTexts);
            CheckPatterns(errors, "metric_names", MetricNames);
            foreach (var library in Libraries)
            {
                CheckPattern(errors, "libraries", library.Key);
                if (library.Value is not null)
                {
                    CheckPattern(errors, "libraries", library.Value);
                }
            }
        }
    }

    /// <summary>otelcol's span rules (<c>ValidateForSpans</c>), or null when they hold.</summary>
    internal string? ValidateForSpans()
    {
        if (LogBodies.Count > 0)
        {
            return "log_bodies should not be specified for trace spans";
        }

        if (LogSeverityTexts.Count > 0)
        {
            return "log_severity_texts should not be specified for trace spans";
        }

        if (LogSeverityNumberMin is not null)
        {
            return "log_severity_number should not be specified for trace spans";
        }

        if (Services.Count == 0 && SpanNames.Count == 0 && Attributes.Count == 0 && Libraries.Count == 0 && Resources.Count == 0 && SpanKinds.Count == 0)
        {
            return "at least one of \"attributes\", \"libraries\",  or \"resources\" field must be specified";
        }

        if (MatchType == "strict")
        {
            foreach (string kind in SpanKinds)
            {
                if (Array.IndexOf(SpanKindNames, kind) < 0)
                {
                    return $"span_kinds string must match one of the standard span kinds when match_type=strict: [{string.Join(' ', SpanKindNames)}]";
                }
            }
        }

        return null;
    }

    /// <summary>otelcol's log rules (<c>ValidateForLogs</c>), or null when they hold.</summary>
    internal string? ValidateForLogs()
    {
        if (SpanNames.Count > 0 || Services.Count > 0 || SpanKinds.Count > 0)
        {
            return "services, span_names, and span_kinds are not valid for log records";
        }

        if (Attributes.Count == 0 && Libraries.Count == 0 && Resources.Count == 0 && LogBodies.Count == 0 && LogSeverityTexts.Count == 0 && LogSeverityNumberMin is null)
        {
            return "at least one of \"attributes\", \"libraries\", \"span_kinds\", \"resources\", \"log_bodies\", \"log_severity_texts\" or \"log_severity_number\" field must be specified";
        }

        return null;
    }

    private static int? ParseSeverity(ConfigSection section)
    {
        var node = section.GetNode("min");
        if (node is null or ConfigScalar { IsNull: true })
        {
            return 0;
        }

        if (node is ConfigScalar { Value: { } text })
        {
            if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int number) && number <= 24)
            {
                return number;
            }

            int severity = SeverityFromName(text);
            if (severity > 0)
            {
                return severity;
            }
        }

        section.Error("min", $"unrecognized severity number \"{(node as ConfigScalar)?.Value}\": use a name such as INFO, WARN2 or FATAL, or a number from 1 to 24.");
        return 0;
    }

    // TRACE..TRACE4 = 1..4, DEBUG = 5.., INFO = 9.., WARN = 13.., ERROR = 17.., FATAL = 21..24 (OTel log data model).
    private static int SeverityFromName(string text)
    {
        string upper = text.ToUpperInvariant();
        string[] bases = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"];
        for (int i = 0; i < bases.Length; i++)
        {
            if (!upper.StartsWith(bases[i], StringComparison.Ordinal))
            {
                continue;
            }

            string rest = upper[bases[i].Length..];
            int step = rest switch { "" => 0, "2" => 1, "3" => 2, "4" => 3, _ => -1 };
            return step < 0 ? -1 : (i * 4) + 1 + step;
        }

        return -1;
    }

    private static List<KeyValuePair<string, AnyValue?>> BindAttributes(ConfigSection section, string key)
    {
        var result = new List<KeyValuePair<string, AnyValue?>>();
        foreach (var item in section.GetSectionList(key) ?? [])
        {
            string name = item.GetString("key", string.Empty);
            var value = AttributeValues.FromConfig(item.GetNode("value"));
            result.Add(new(name, value));
            item.Finish();
        }

        return result;
    }

    private void CheckAttributes(ValidationErrors errors, string key, List<KeyValuePair<string, AnyValue?>> attributes)
    {
        foreach (var attribute in attributes)
        {
            if (attribute.Key.Length == 0)
            {
                errors.Add(key, "can't have empty key in the list of attributes.");
                continue;
            }

            if (MatchType == "regexp" && attribute.Value is not null)
            {
                if (attribute.Value.ValueCase != AnyValue.ValueOneofCase.StringValue)
                {
                    errors.Add(key, $"match_type=regexp for \"{attribute.Key}\" only supports Str, but found {AttributeValues.TypeName(attribute.Value)}.");
                    continue;
                }

                CheckPattern(errors, key, attribute.Value.StringValue);
            }
        }
    }

    private static void CheckPatterns(ValidationErrors errors, string key, List<string> patterns)
    {
        foreach (string pattern in patterns)
        {
            CheckPattern(errors, key, pattern);
        }
    }

    private static void CheckPattern(ValidationErrors errors, string key, string pattern)
    {
        if (!GoRegex.TryCompile(pattern, out _, out string? error))
        {
            errors.Add(key, $"error parsing regexp \"{pattern}\": {error}");
        }
    }
}
