using System.Text.RegularExpressions;
using Google.Protobuf.Collections;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Processors.Common;

namespace Pipeline.Processors.Filter;

/// <summary>A compiled legacy <c>include</c>/<c>exclude</c> block (otelcol's <c>filterconfig</c>/<c>filterset</c>):
/// every property that is set must match (AND); within a list any entry may match (OR). <c>strict</c> compares
/// exactly, <c>regexp</c> uses unanchored Go RE2 patterns.</summary>
internal sealed class LegacyMatcher
{
    private readonly bool _regexp;
    private readonly Matcher? _services;
    private readonly Matcher? _spanNames;
    private readonly Matcher? _metricNames;
    private readonly Matcher? _severityTexts;
    private readonly Matcher? _bodies;
    private readonly HashSet<long>? _spanKinds;
    private readonly (string Key, AnyValue? Value, Regex? Pattern)[] _attributes;
    private readonly (string Key, AnyValue? Value, Regex? Pattern)[] _resources;
    private readonly (Matcher Name, Matcher? Version)[] _libraries;
    private readonly int? _severityMin;
    private readonly bool _matchUndefined;

    private LegacyMatcher(LegacyMatchConfig c, bool regexp, List<(string, string)> errors, string key)
    {
        _regexp = regexp;
        _services = Matcher.Create(c.Services, regexp, errors, key);
        _spanNames = Matcher.Create(c.SpanNames, regexp, errors, key);
        _metricNames = Matcher.Create(c.MetricNames, regexp, errors, key);
        _severityTexts = Matcher.Create(c.SeverityTexts, regexp, errors, key);
        _bodies = Matcher.Create(c.Bodies, regexp, errors, key);
        if (c.SpanKinds.Count > 0)
        {
            _spanKinds = [];
            foreach (string kind in c.SpanKinds)
            {
                if (Ottl.OttlEnums.TryGet(kind, out long v) && kind.StartsWith("SPAN_KIND_", StringComparison.Ordinal))
                {
                    _spanKinds.Add(v);
                }
                else
                {
                    errors.Add((key, "span_kinds string must match one of the standard span kinds when match_type=strict: [SPAN_KIND_CLIENT SPAN_KIND_CONSUMER SPAN_KIND_INTERNAL SPAN_KIND_PRODUCER SPAN_KIND_SERVER]"));
                }
            }
        }

        _attributes = CompileAttributes(c.Attributes, regexp, errors, key);
        _resources = CompileAttributes(c.Resources, regexp, errors, key);
        _libraries = new (Matcher, Matcher?)[c.Libraries.Count];
        for (int i = 0; i < _libraries.Length; i++)
        {
            var (name, version) = c.Libraries[i];
            _libraries[i] = (Matcher.Create([name], regexp, errors, key) ?? Matcher.Empty,
                version is null ? null : Matcher.Create([version], regexp, errors, key));
        }

        _severityMin = c.SeverityNumberMin;
        _matchUndefined = c.SeverityNumberMatchUndefined;
    }

    public static LegacyMatcher? Create(LegacyMatchConfig? config, string key, List<(string, string)> errors)
    {
        if (config is null)
        {
            return null;
        }

        switch (config.MatchType)
        {
            case "strict":
                return new LegacyMatcher(config, false, errors, key);
            case "regexp":
                return new LegacyMatcher(config, true, errors, key);
            case "expr":
                errors.Add((key + "::match_type", "match_type \"expr\" is not supported by this collector; use OTTL conditions instead"));
                return null;
            case "":
                errors.Add((key + "::match_type", "match_type must be set"));
                return null;
            default:
                errors.Add((key + "::match_type", $"unrecognized match_type: '{config.MatchType}', valid types are: [regexp strict]"));
                return null;
        }
    }

    public bool MatchSpan(OpenTelemetry.Proto.Resource.V1.Resource? resource, InstrumentationScope? scope, Span span)
    {
        if (_services is not null)
        {
            var service = resource is null ? null : AttributeValues.Get(resource.Attributes, "service.name");
            if (!_services.Matches(service is null ? string.Empty : AttributeValues.AsString(service)))
            {
                return false;
            }
        }

        if (_spanNames is not null && !_spanNames.Matches(span.Name))
        {
            return false;
        }

        if (_spanKinds is not null && !_spanKinds.Contains((long)span.Kind))
        {
            return false;
        }

        if (_libraries.Length > 0 && !MatchLibraries(scope))
        {
            return false;
        }

        return MatchAttributes(_resources, resource?.Attributes) && MatchAttributes(_attributes, span.Attributes);
    }

    public bool MatchMetric(OpenTelemetry.Proto.Resource.V1.Resource? resource, Metric metric) =>
        (_metricNames is null || _metricNames.Matches(metric.Name)) && MatchAttributes(_resources, resource?.Attributes);

    public bool MatchLog(OpenTelemetry.Proto.Resource.V1.Resource? resource, LogRecord record)
    {
        if (_severityTexts is not null && !_severityTexts.Matches(record.SeverityText))
        {
            return false;
        }

        if (_bodies is not null && (record.Body is null || !_bodies.Matches(AttributeValues.AsString(record.Body))))
        {
            return false;
        }

        if (_severityMin is { } min)
        {
            int severity = (int)record.SeverityNumber;
            if (severity == 0 ? !_matchUndefined : severity < min)
            {
                return false;
            }
        }

        return MatchAttributes(_resources, resource?.Attributes) && MatchAttributes(_attributes, record.Attributes);
    }

    private bool MatchLibraries(InstrumentationScope? scope)
    {
        foreach (var (name, version) in _libraries)
        {
            if (name.Matches(scope?.Name ?? string.Empty) && (version is null || version.Matches(scope?.Version ?? string.Empty)))
            {
                return true;
            }
        }

        return false;
    }

    private bool MatchAttributes((string Key, AnyValue? Value, Regex? Pattern)[] expected, RepeatedField<KeyValue>? actual)
    {
        foreach (var (key, value, pattern) in expected)
        {
            var found = actual is null ? null : AttributeValues.Get(actual, key);
            if (found is null)
            {
                return false;
            }

            if (value is null)
            {
                continue;
            }

            if (_regexp)
            {
                if (found.ValueCase != AnyValue.ValueOneofCase.StringValue || !pattern!.IsMatch(found.StringValue))
                {
                    return false;
                }
            }
            else if (!AttributeValues.ValueEquals(value, found))
            {
                return false;
            }
        }

        return true;
    }

    private static (string, AnyValue?, Regex?)[] CompileAttributes(List<KeyValuePair<string, AnyValue?>> attributes, bool regexp, List<(string, string)> errors, string key)
    {
        var result = new (string, AnyValue?, Regex?)[attributes.Count];
        for (int i = 0; i < result.Length; i++)
        {
            var (k, v) = attributes[i];
            if (k.Length == 0)
            {
                errors.Add((key, "can't have empty key in the list of attributes"));
            }

            Regex? pattern = null;
            if (regexp && v is not null)
            {
                if (v.ValueCase != AnyValue.ValueOneofCase.StringValue)
                {
                    errors.Add((key, $"match_type=regexp for \"{k}\" only supported for string values"));
                }
                else if (!GoRegex.TryCompile(v.StringValue, out pattern, out string? error))
                {
                    errors.Add((key, $"error parsing regexp: {error}"));
                }
            }

            result[i] = (k, v, pattern);
        }

        return result;
    }

    /// <summary>A set of strict strings or regexps.</summary>
    private sealed class Matcher
    {
        public static readonly Matcher Empty = new([], []);

        private readonly HashSet<string> _strict;
        private readonly Regex[] _patterns;

        private Matcher(HashSet<string> strict, Regex[] patterns)
        {
            _strict = strict;
            _patterns = patterns;
        }

        public static Matcher? Create(List<string> items, bool regexp, List<(string, string)> errors, string key)
        {
            if (items.Count == 0)
            {
                return null;
            }

            if (!regexp)
            {
                return new Matcher(new HashSet<string>(items, StringComparer.Ordinal), []);
            }

            var patterns = new List<Regex>();
            foreach (string item in items)
            {
                if (GoRegex.TryCompile(item, out var regex, out string? error))
                {
                    patterns.Add(regex);
                }
                else
                {
                    errors.Add((key, $"error parsing regexp: {error}"));
                }
            }

            return new Matcher([], [.. patterns]);
        }

        public bool Matches(string value)
        {
            if (_strict.Contains(value))
            {
                return true;
            }

            foreach (var p in _patterns)
            {
                if (p.IsMatch(value))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
