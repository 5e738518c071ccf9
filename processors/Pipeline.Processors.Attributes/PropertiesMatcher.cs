using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Google.Protobuf.Collections;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Processors.Common;

namespace Pipeline.Processors.Attributes;

/// <summary>A compiled <c>include</c>/<c>exclude</c> block: true when an item has every configured property.</summary>
internal sealed class PropertiesMatcher
{
    private readonly StringFilter? _services;
    private readonly StringFilter? _spanNames;
    private readonly StringFilter? _spanKinds;
    private readonly StringFilter? _logBodies;
    private readonly StringFilter? _severityTexts;
    private readonly StringFilter? _metricNames;
    private readonly int? _severityMin;
    private readonly bool _severityMatchUndefined;
    private readonly AttributeMatch[] _attributes;
    private readonly AttributeMatch[] _resources;
    private readonly (StringFilter Name, StringFilter? Version)[] _libraries;

    public PropertiesMatcher(MatchPropertiesConfig config)
    {
        bool regexp = config.MatchType == "regexp";
        _services = StringFilter.Create(config.Services, regexp);
        _spanNames = StringFilter.Create(config.SpanNames, regexp);
        _spanKinds = StringFilter.Create(config.SpanKinds, regexp);
        _logBodies = StringFilter.Create(config.LogBodies, regexp);
        _severityTexts = StringFilter.Create(config.LogSeverityTexts, regexp);
        _metricNames = StringFilter.Create(config.MetricNames, regexp);
        _severityMin = config.LogSeverityNumberMin;
        _severityMatchUndefined = config.LogSeverityNumberMatchUndefined;
        _attributes = Compile(config.Attributes, regexp);
        _resources = Compile(config.Resources, regexp);
        _libraries = new (StringFilter, StringFilter?)[config.Libraries.Count];
        for (int i = 0; i < _libraries.Length; i++)
        {
            var library = config.Libraries[i];
            _libraries[i] = (StringFilter.Create([library.Key], regexp)!, library.Value is null ? null : StringFilter.Create([library.Value], regexp));
        }
    }

    public bool MatchSpan(OpenTelemetry.Proto.Resource.V1.Resource? resource, InstrumentationScope? scope, Span span)
    {
        if (_services is not null && !_services.Matches(ServiceName(resource)))
        {
            return false;
        }

        if (_spanNames is not null && !_spanNames.Matches(span.Name))
        {
            return false;
        }

        if (_spanKinds is not null && !_spanKinds.Matches(SpanKindName(span.Kind)))
        {
            return false;
        }

        return MatchCommon(span.Attributes, resource, scope);
    }

    public bool MatchLog(OpenTelemetry.Proto.Resource.V1.Resource? resource, InstrumentationScope? scope, LogRecord record)
    {
        if (_logBodies is not null && !_logBodies.Matches(AttributeValues.AsString(record.Body)))
        {
            return false;
        }

        if (_severityTexts is not null && !_severityTexts.Matches(record.SeverityText))
        {
            return false;
        }

        if (_severityMin is int min)
        {
            int severity = (int)record.SeverityNumber;
            if (severity == 0 ? !_severityMatchUndefined : severity < min)
            {
                return false;
            }
        }

        return MatchCommon(record.Attributes, resource, scope);
    }

    /// <summary>Metrics are matched by name and resource attributes only, as otelcol's filtermetric does.</summary>
    public bool MatchMetric(OpenTelemetry.Proto.Resource.V1.Resource? resource, Metric metric)
    {
        if (_metricNames is not null && !_metricNames.Matches(metric.Name))
        {
            return false;
        }

        return _resources.Length == 0 || MatchAttributes(_resources, resource?.Attributes);
    }

    private static string ServiceName(OpenTelemetry.Proto.Resource.V1.Resource? resource)
    {
        var value = resource is null ? null : AttributeValues.Get(resource.Attributes, "service.name");
        return value is null ? "<nil-service-name>" : AttributeValues.AsString(value);
    }

    private static string SpanKindName(Span.Types.SpanKind kind) => kind switch
    {
        Span.Types.SpanKind.Internal => "SPAN_KIND_INTERNAL",
        Span.Types.SpanKind.Server => "SPAN_KIND_SERVER",
        Span.Types.SpanKind.Client => "SPAN_KIND_CLIENT",
        Span.Types.SpanKind.Producer => "SPAN_KIND_PRODUCER",
        Span.Types.SpanKind.Consumer => "SPAN_KIND_CONSUMER",
        _ => "SPAN_KIND_UNSPECIFIED",
    };

    private static AttributeMatch[] Compile(List<KeyValuePair<string, AnyValue?>> attributes, bool regexp)
    {
        var result = new AttributeMatch[attributes.Count];
        for (int i = 0; i < result.Length; i++)
        {
            var (key, value) = attributes[i];
            result[i] = regexp && value is not null
                ? new AttributeMatch(key, null, StringFilter.Create([value.StringValue], true))
                : new AttributeMatch(key, value, null);
        }

        return result;
    }

    private static bool MatchAttributes(AttributeMatch[] matchers, RepeatedField<KeyValue>? attributes)
    {
        if (matchers.Length == 0)
        {
            return true;
        }

        if (attributes is null || attributes.Count == 0)
        {
            return false;
        }

        foreach (var matcher in matchers)
        {
            var value = AttributeValues.Get(attributes, matcher.Key);
            if (value is null)
            {
                return false;
            }

            if (matcher.Pattern is not null)
            {
                if (!TryScalarString(value, out string? text) || !matcher.Pattern.Matches(text))
                {
                    return false;
                }
            }
            else if (matcher.Value is not null && !AttributeValues.ValueEquals(matcher.Value, value))
            {
                return false;
            }
        }

        return true;
    }

    // otelcol's attributeStringValue: scalars only (doubles as shortest round-trip digits).
    private static bool TryScalarString(AnyValue value, [NotNullWhen(true)] out string? text)
    {
        switch (value.ValueCase)
        {
            case AnyValue.ValueOneofCase.StringValue:
                text = value.StringValue;
                return true;
            case AnyValue.ValueOneofCase.BoolValue:
                text = value.BoolValue ? "true" : "false";
                return true;
            case AnyValue.ValueOneofCase.IntValue:
                text = value.IntValue.ToString(CultureInfo.InvariantCulture);
                return true;
            case AnyValue.ValueOneofCase.DoubleValue:
                text = AttributeValues.FormatDouble(value.DoubleValue);
                return true;
            default:
                text = null;
                return false;
        }
    }

    private bool MatchCommon(RepeatedField<KeyValue> attributes, OpenTelemetry.Proto.Resource.V1.Resource? resource, InstrumentationScope? scope)
    {
        foreach (var (name, version) in _libraries)
        {
            if (!name.Matches(scope?.Name ?? string.Empty))
            {
                return false;
            }

            if (version is not null && !version.Matches(scope?.Version ?? string.Empty))
            {
                return false;
            }
        }

        if (_resources.Length > 0 && !MatchAttributes(_resources, resource?.Attributes))
        {
            return false;
        }

        return MatchAttributes(_attributes, attributes);
    }

    private sealed record AttributeMatch(string Key, AnyValue? Value, StringFilter? Pattern);
}
