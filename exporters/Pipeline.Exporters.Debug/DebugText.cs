using System.Globalization;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Collections;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;
using Pipeline.Telemetry;

namespace Pipeline.Exporters.Debug;

/// <summary>The debug exporter's text: summary lines, normal (one line per item) and detailed dumps.</summary>
internal static partial class DebugText
{
    /// <summary>The summary line, e.g. <c>Traces {"resource spans": 1, "spans": 2}</c>.</summary>
    public static string Summary(TelemetryData data) => data switch
    {
        Traces traces => TracesSummary(traces),
        Metrics metrics => MetricsSummary(metrics),
        Logs logs => LogsSummary(logs),
        _ => throw new NotSupportedException(data.GetType().Name),
    };

    /// <summary>One line per span, data point or log record, under resource and scope headers.</summary>
    public static string Normal(TelemetryData data) => data switch
    {
        Traces traces => TracesNormal(traces),
        Metrics metrics => MetricsNormal(metrics),
        Logs logs => LogsNormal(logs),
        _ => throw new NotSupportedException(data.GetType().Name),
    };

    /// <summary>Every field of every item.</summary>
    public static string Detailed(TelemetryData data) => data switch
    {
        Traces traces => TracesDetailed(traces),
        Metrics metrics => MetricsDetailed(metrics),
        Logs logs => LogsDetailed(logs),
        _ => throw new NotSupportedException(data.GetType().Name),
    };

    /// <summary>Unix nanoseconds as Go prints a UTC time: <c>2024-01-02 03:04:05.123456789 +0000 UTC</c>.</summary>
    internal static string Time(ulong unixNanos)
    {
        var time = DateTime.UnixEpoch.AddTicks((long)(unixNanos / 100));
        return time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "."
            + (unixNanos % 1_000_000_000).ToString("D9", CultureInfo.InvariantCulture) + " +0000 UTC";
    }

    /// <summary>An ID in lower-case hex (empty when unset).</summary>
    internal static string Hex(ByteString id) => id.IsEmpty ? string.Empty : Convert.ToHexStringLower(id.Span);

    /// <summary>A value as the debug exporter shows it: <c>Str(x)</c>, <c>Int(1)</c>, <c>Slice([...])</c>, <c>Map({...})</c>.</summary>
    internal static void AppendValue(StringBuilder text, AnyValue? value)
    {
        if (value is null)
        {
            text.Append("Empty()");
            return;
        }

        switch (value.ValueCase)
        {
            case AnyValue.ValueOneofCase.StringValue: text.Append("Str(").Append(value.StringValue).Append(')'); break;
            case AnyValue.ValueOneofCase.BoolValue: text.Append("Bool(").Append(value.BoolValue ? "true" : "false").Append(')'); break;
            case AnyValue.ValueOneofCase.IntValue: text.Append("Int(").Append(value.IntValue.ToString(CultureInfo.InvariantCulture)).Append(')'); break;
            case AnyValue.ValueOneofCase.DoubleValue: text.Append("Double(").Append(Number(value.DoubleValue)).Append(')'); break;
            case AnyValue.ValueOneofCase.BytesValue: text.Append("Bytes(").Append(Convert.ToBase64String(value.BytesValue.Span)).Append(')'); break;
            case AnyValue.ValueOneofCase.ArrayValue:
                text.Append("Slice([");
                AppendPlainList(text, value.ArrayValue.Values);
                text.Append("])");
                break;
            case AnyValue.ValueOneofCase.KvlistValue:
                text.Append("Map({");
                AppendPlainMap(text, value.KvlistValue.Values);
                text.Append("})");
                break;
            default: text.Append("Empty()"); break;
        }
    }

    /// <summary>A value without its type, as JSON-ish text (for normal lines and nested values).</summary>
    internal static void AppendPlain(StringBuilder text, AnyValue? value)
    {
        if (value is null)
        {
            return;
        }

        switch (value.ValueCase)
        {
            case AnyValue.ValueOneofCase.StringValue: text.Append(value.StringValue); break;
            case AnyValue.ValueOneofCase.BoolValue: text.Append(value.BoolValue ? "true" : "false"); break;
            case AnyValue.ValueOneofCase.IntValue: text.Append(value.IntValue.ToString(CultureInfo.InvariantCulture)); break;
            case AnyValue.ValueOneofCase.DoubleValue: text.Append(Number(value.DoubleValue)); break;
            case AnyValue.ValueOneofCase.BytesValue: text.Append(Convert.ToBase64String(value.BytesValue.Span)); break;
            case AnyValue.ValueOneofCase.ArrayValue:
                text.Append('[');
                AppendPlainList(text, value.ArrayValue.Values);
                text.Append(']');
                break;
            case AnyValue.ValueOneofCase.KvlistValue:
                text.Append('{');
                AppendPlainMap(text, value.KvlistValue.Values);
                text.Append('}');
                break;
            default: break;
        }
    }

    /// <summary>Attributes as <c>k=v k2=v2</c> (normal lines).</summary>
    internal static void AppendInlineAttributes(StringBuilder text, RepeatedField<KeyValue> attributes)
    {
        for (int i = 0; i < attributes.Count; i++)
        {
            if (i > 0)
            {
                text.Append(' ');
            }

            text.Append(attributes[i].Key).Append('=');
            AppendPlain(text, attributes[i].Value);
        }
    }

    /// <summary>A titled attribute block, one <c>-&gt; key: Type(value)</c> line each; nothing when empty.</summary>
    internal static void AppendAttributeBlock(StringBuilder text, string title, RepeatedField<KeyValue> attributes, string indent = "")
    {
        if (attributes.Count == 0)
        {
            return;
        }

        text.Append(indent).Append(title).Append(":\n");
        foreach (var attribute in attributes)
        {
            text.Append(indent).Append("     -> ").Append(attribute.Key).Append(": ");
            AppendValue(text, attribute.Value);
            text.Append('\n');
        }
    }

    /// <summary>The resource header of a detailed dump.</summary>
    internal static void AppendResource(StringBuilder text, string kind, int index, Resource? resource, string schemaUrl)
    {
        text.Append(kind).Append(" #").Append(index).Append('\n');
        text.Append("Resource SchemaURL: ").Append(schemaUrl).Append('\n');
        if (resource is not null)
        {
            AppendAttributeBlock(text, "Resource attributes", resource.Attributes);
            if (resource.DroppedAttributesCount > 0)
            {
                text.Append("Resource dropped attributes count: ").Append(resource.DroppedAttributesCount).Append('\n');
            }
        }
    }

    /// <summary>The scope header of a detailed dump.</summary>
    internal static void AppendScope(StringBuilder text, string kind, int index, InstrumentationScope? scope, string schemaUrl)
    {
        text.Append(kind).Append(" #").Append(index).Append('\n');
        text.Append(kind).Append(" SchemaURL: ").Append(schemaUrl).Append('\n');
        text.Append("InstrumentationScope ").Append(scope?.Name).Append(' ').Append(scope?.Version).Append('\n');
        if (scope is not null)
        {
            AppendAttributeBlock(text, "InstrumentationScope attributes", scope.Attributes);
        }
    }

    /// <summary>The resource and scope headers of a normal dump: <c>ResourceSpans #0 k=v</c>, <c>ScopeSpans #0 name@version</c>.</summary>
    internal static void AppendNormalResource(StringBuilder text, string kind, int index, Resource? resource)
    {
        text.Append(kind).Append(" #").Append(index);
        if (resource is { Attributes.Count: > 0 })
        {
            text.Append(' ');
            AppendInlineAttributes(text, resource.Attributes);
        }

        text.Append('\n');
    }

    /// <summary>The scope line of a normal dump.</summary>
    internal static void AppendNormalScope(StringBuilder text, string kind, int index, InstrumentationScope? scope)
    {
        text.Append(kind).Append(" #").Append(index);
        if (scope is not null && scope.Name.Length > 0)
        {
            text.Append(' ').Append(scope.Name);
            if (scope.Version.Length > 0)
            {
                text.Append('@').Append(scope.Version);
            }
        }

        text.Append('\n');
    }

    internal static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static void AppendPlainList(StringBuilder text, RepeatedField<AnyValue> values)
    {
        for (int i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            AppendPlain(text, values[i]);
        }
    }

    private static void AppendPlainMap(StringBuilder text, RepeatedField<KeyValue> values)
    {
        for (int i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append(values[i].Key).Append(':');
            AppendPlain(text, values[i].Value);
        }
    }
}
