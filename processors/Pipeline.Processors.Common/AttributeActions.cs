using System.Globalization;
using System.Text.RegularExpressions;
using Google.Protobuf.Collections;
using OpenTelemetry.Proto.Common.V1;
using Pipeline.Telemetry;

namespace Pipeline.Processors.Common;

/// <summary>
/// A validated, compiled list of attribute actions applied in order to an attribute list (otelcol's
/// <c>attraction.AttrProc</c>). Immutable and safe to share between threads.
/// </summary>
public sealed class AttributeActions
{
    private readonly Step[] _steps;

    private AttributeActions(Step[] steps) => _steps = steps;

    /// <summary>The number of actions.</summary>
    public int Count => _steps.Length;

    /// <summary>Validates and compiles actions with otelcol's rules; every broken rule adds otelcol's message
    /// (e.g. <c>error creating AttrProc due to missing required field "key" at the 0-th actions</c>) to
    /// <paramref name="errors"/>, and null is returned when there is any.</summary>
    public static AttributeActions? Create(IReadOnlyList<AttributeActionConfig> actions, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(actions);
        ArgumentNullException.ThrowIfNull(errors);
        int before = errors.Count;
        var steps = new Step[actions.Count];
        for (int i = 0; i < actions.Count; i++)
        {
            string? error = Compile(actions[i], i, out steps[i]);
            if (error is not null)
            {
                errors.Add(error);
            }
        }

        return errors.Count == before ? new AttributeActions(steps) : null;
    }

    /// <summary>Applies every action, in order, to <paramref name="attributes"/> of a batch without client
    /// information (<c>from_context</c> then finds no metadata and an empty <c>client.address</c>).</summary>
    public void Apply(RepeatedField<KeyValue> attributes) => Apply(attributes, ClientInfo.Empty);

    /// <summary>Applies every action, in order, to <paramref name="attributes"/>; <c>from_context</c> reads
    /// <paramref name="client"/> (the batch's <see cref="TelemetryData.Client"/>).</summary>
    public void Apply(RepeatedField<KeyValue> attributes, ClientInfo client)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        ArgumentNullException.ThrowIfNull(client);
        foreach (var step in _steps)
        {
            switch (step.Kind)
            {
                case ActionKind.Delete:
                    int at = IndexOfKey(attributes, step.Key);
                    if (at >= 0)
                    {
                        attributes.RemoveAt(at);
                    }

                    if (step.Regex is not null)
                    {
                        for (int i = attributes.Count - 1; i >= 0; i--)
                        {
                            if (step.Regex.IsMatch(attributes[i].Key))
                            {
                                attributes.RemoveAt(i);
                            }
                        }
                    }

                    break;
                case ActionKind.Insert:
                case ActionKind.Update:
                case ActionKind.Upsert:
                    Assign(step, attributes, client);
                    break;
                case ActionKind.Hash:
                    int hashed = IndexOfKey(attributes, step.Key);
                    if (hashed >= 0)
                    {
                        HashAt(attributes, hashed);
                    }

                    if (step.Regex is not null)
                    {
                        for (int i = 0; i < attributes.Count; i++)
                        {
                            // As otelcol: a key that is also matched by the pattern is hashed a second time.
                            if (step.Regex.IsMatch(attributes[i].Key))
                            {
                                HashAt(attributes, i);
                            }
                        }
                    }

                    break;
                case ActionKind.Extract:
                    Extract(step, attributes);
                    break;
                case ActionKind.Convert:
                    int converted = IndexOfKey(attributes, step.Key);
                    if (converted >= 0)
                    {
                        attributes[converted].Value = Convert(attributes[converted].Value, step.ConvertTo);
                    }

                    break;
            }
        }
    }

    /// <summary>Converts a value as otelcol's <c>convertValue</c>; a value that cannot be converted is returned unchanged.</summary>
    public static AnyValue? Convert(AnyValue? value, ConvertTarget to)
    {
        if (value is null)
        {
            return value;
        }

        switch (to)
        {
            case ConvertTarget.String:
                return value.ValueCase == AnyValue.ValueOneofCase.StringValue ? value : new AnyValue { StringValue = AttributeValues.AsString(value) };
            case ConvertTarget.Int:
                switch (value.ValueCase)
                {
                    case AnyValue.ValueOneofCase.DoubleValue:
                        return new AnyValue { IntValue = (long)value.DoubleValue };
                    case AnyValue.ValueOneofCase.BoolValue:
                        return new AnyValue { IntValue = value.BoolValue ? 1 : 0 };
                    case AnyValue.ValueOneofCase.StringValue:
                        return long.TryParse(value.StringValue, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l)
                            ? new AnyValue { IntValue = l }
                            : value;
                    default:
                        return value;
                }

            case ConvertTarget.Double:
                switch (value.ValueCase)
                {
                    case AnyValue.ValueOneofCase.IntValue:
                        return new AnyValue { DoubleValue = value.IntValue };
                    case AnyValue.ValueOneofCase.BoolValue:
                        return new AnyValue { DoubleValue = value.BoolValue ? 1 : 0 };
                    case AnyValue.ValueOneofCase.StringValue:
                        return TryParseGoFloat(value.StringValue, out double d) ? new AnyValue { DoubleValue = d } : value;
                    default:
                        return value;
                }

            default:
                return value;
        }
    }

    private static bool TryParseGoFloat(string text, out double value)
    {
        switch (text.ToUpperInvariant())
        {
            case "INF":
            case "+INF":
            case "INFINITY":
            case "+INFINITY":
                value = double.PositiveInfinity;
                return true;
            case "-INF":
            case "-INFINITY":
                value = double.NegativeInfinity;
                return true;
            case "NAN":
                value = double.NaN;
                return true;
        }

        return double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>
    /// The text otelcol's <c>getAttributeValueFromContext</c> gives a <c>from_context</c> key: <c>client.address</c>
    /// is the client's IP (an empty string when unknown, as otelcol's <c>clientutil.Address</c>);
    /// <c>metadata.&lt;k&gt;</c> and a bare <c>&lt;k&gt;</c> are the values of metadata key k (case-insensitive)
    /// joined with <c>;</c>; <c>auth.&lt;k&gt;</c> never resolves (Pipeline has no authenticators). Null when absent.
    /// </summary>
    public static string? ResolveFromContext(ClientInfo client, string fromContext)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(fromContext);
        var (source, name) = ParseFromContext(fromContext);
        return Resolve(client, source, name);
    }

    private static string? Resolve(ClientInfo client, ContextSource source, string name)
    {
        switch (source)
        {
            case ContextSource.ClientAddress:
                return client.Address ?? string.Empty;
            case ContextSource.Metadata:
                var values = client.GetMetadata(name);
                return values.Count switch
                {
                    0 => null,
                    1 => values[0],
                    _ => string.Join(';', values),
                };
            default:
                return null;
        }
    }

    private static (ContextSource Source, string Name) ParseFromContext(string fromContext)
    {
        const string MetadataPrefix = "metadata.";
        const string AuthPrefix = "auth.";
        if (fromContext == "client.address")
        {
            return (ContextSource.ClientAddress, string.Empty);
        }

        if (fromContext.StartsWith(MetadataPrefix, StringComparison.Ordinal))
        {
            return (ContextSource.Metadata, fromContext[MetadataPrefix.Length..]);
        }

        if (fromContext.StartsWith(AuthPrefix, StringComparison.Ordinal))
        {
            return (ContextSource.Auth, fromContext[AuthPrefix.Length..]);
        }

        // otelcol falls back to metadata for backwards compatibility.
        return (ContextSource.Metadata, fromContext);
    }

    private static void Assign(Step step, RepeatedField<KeyValue> attributes, ClientInfo client)
    {
        AnyValue? source;
        if (step.Value is not null)
        {
            source = step.Value;
        }
        else if (step.FromContext.Length > 0)
        {
            string? text = Resolve(client, step.ContextSource, step.ContextName);
            if (text is null)
            {
                return;
            }

            source = new AnyValue { StringValue = text };
        }
        else
        {
            source = AttributeValues.Get(attributes, step.FromAttribute);
        }

        if (source is null)
        {
            return;
        }

        int at = IndexOfKey(attributes, step.Key);
        switch (step.Kind)
        {
            case ActionKind.Insert when at < 0:
                attributes.Add(new KeyValue { Key = step.Key, Value = source.Clone() });
                break;
            case ActionKind.Update when at >= 0:
            case ActionKind.Upsert when at >= 0:
                attributes[at].Value = source.Clone();
                break;
            case ActionKind.Upsert:
                attributes.Add(new KeyValue { Key = step.Key, Value = source.Clone() });
                break;
        }
    }

    private static void HashAt(RepeatedField<KeyValue> attributes, int index) =>
        attributes[index].Value = new AnyValue { StringValue = AttributeValues.Sha256Hex(attributes[index].Value) };

    private static void Extract(Step step, RepeatedField<KeyValue> attributes)
    {
        int at = IndexOfKey(attributes, step.Key);
        if (at < 0 || attributes[at].Value is not { ValueCase: AnyValue.ValueOneofCase.StringValue } value)
        {
            return;
        }

        var match = step.Regex!.Match(value.StringValue);
        if (!match.Success)
        {
            return;
        }

        foreach (string name in step.GroupNames!)
        {
            AttributeValues.Put(attributes, name, new AnyValue { StringValue = match.Groups[name].Value });
        }
    }

    private static int IndexOfKey(RepeatedField<KeyValue> attributes, string key) =>
        key.Length == 0 ? -1 : AttributeValues.IndexOf(attributes, key);

    private static string? Compile(AttributeActionConfig a, int i, out Step step)
    {
        step = default;
        string action = a.Action.ToLowerInvariant();
        ActionKind kind = action switch
        {
            "insert" => ActionKind.Insert,
            "update" => ActionKind.Update,
            "upsert" => ActionKind.Upsert,
            "delete" => ActionKind.Delete,
            "hash" => ActionKind.Hash,
            "extract" => ActionKind.Extract,
            "convert" => ActionKind.Convert,
            _ => ActionKind.None,
        };

        if (kind is ActionKind.Delete or ActionKind.Hash)
        {
            if (a.Key.Length == 0 && a.Pattern.Length == 0)
            {
                return $"error creating AttrProc due to missing required field (at least one of \"key\" and \"pattern\" have to be used) at the {i}-th actions";
            }
        }
        else if (a.Key.Length == 0)
        {
            return $"error creating AttrProc due to missing required field \"key\" at the {i}-th actions";
        }

        int sources = (a.Value is not null ? 1 : 0) + (a.FromAttribute.Length > 0 ? 1 : 0) + (a.FromContext.Length > 0 ? 1 : 0);
        Regex? regex = null;
        string[]? groupNames = null;
        var convertTo = ConvertTarget.String;
        switch (kind)
        {
            case ActionKind.Insert:
            case ActionKind.Update:
            case ActionKind.Upsert:
                if (sources == 0)
                {
                    return $"error creating AttrProc. Either field \"value\", \"from_attribute\" or \"from_context\" setting must be specified for {i}-th action";
                }

                if (sources > 1)
                {
                    return $"error creating AttrProc due to multiple value sources being set at the {i}-th actions";
                }

                if (a.Pattern.Length > 0)
                {
                    return $"error creating AttrProc. Action \"{action}\" does not use the \"pattern\" field. This must not be specified for {i}-th action";
                }

                if (a.ConvertedType.Length > 0)
                {
                    return ConvertedTypeNotUsed(action, i);
                }

                break;
            case ActionKind.Delete:
            case ActionKind.Hash:
                if (a.Value is not null || a.FromAttribute.Length > 0)
                {
                    return $"error creating AttrProc. Action \"{action}\" does not use \"value\" or \"from_attribute\" field. These must not be specified for {i}-th action";
                }

                if (a.Pattern.Length > 0 && !GoRegex.TryCompile(a.Pattern, out regex, out _))
                {
                    return InvalidPattern(a.Pattern, i);
                }

                if (a.ConvertedType.Length > 0)
                {
                    return ConvertedTypeNotUsed(action, i);
                }

                break;
            case ActionKind.Extract:
                if (sources > 0)
                {
                    return $"error creating AttrProc. Action \"{action}\" does not use a value source field. These must not be specified for {i}-th action";
                }

                if (a.Pattern.Length == 0)
                {
                    return $"error creating AttrProc due to missing required field \"pattern\" for action \"{action}\" at the {i}-th action";
                }

                if (a.ConvertedType.Length > 0)
                {
                    return ConvertedTypeNotUsed(action, i);
                }

                if (!GoRegex.TryCompile(a.Pattern, out regex, out _))
                {
                    return InvalidPattern(a.Pattern, i);
                }

                int[] numbers = regex.GetGroupNumbers();
                if (numbers.Length <= 1)
                {
                    return $"error creating AttrProc. Field \"pattern\" contains no named matcher groups at the {i}-th actions";
                }

                groupNames = new string[numbers.Length - 1];
                int n = 0;
                foreach (int number in numbers)
                {
                    if (number == 0)
                    {
                        continue;
                    }

                    string name = regex.GroupNameFromNumber(number);
                    if (name == number.ToString(CultureInfo.InvariantCulture))
                    {
                        return $"error creating AttrProc. Field \"pattern\" contains at least one unnamed matcher group at the {i}-th actions";
                    }

                    groupNames[n++] = name;
                }

                break;
            case ActionKind.Convert:
                if (sources > 0 || a.Pattern.Length > 0)
                {
                    return $"error creating AttrProc. Action \"{action}\" does not use value sources or \"pattern\" field. These must not be specified for {i}-th action";
                }

                switch (a.ConvertedType)
                {
                    case "string":
                        convertTo = ConvertTarget.String;
                        break;
                    case "int":
                        convertTo = ConvertTarget.Int;
                        break;
                    case "double":
                        convertTo = ConvertTarget.Double;
                        break;
                    case "":
                        return $"error creating AttrProc due to missing required field \"converted_type\" for action \"{action}\" at the {i}-th action";
                    default:
                        return $"error creating AttrProc due to invalid value \"{a.ConvertedType}\" in field \"converted_type\" for action \"{action}\" at the {i}-th action";
                }

                break;
            default:
                return $"error creating AttrProc due to unsupported action \"{action}\" at the {i}-th actions";
        }

        var (contextSource, contextName) = a.FromContext.Length > 0 ? ParseFromContext(a.FromContext) : (ContextSource.None, string.Empty);
        step = new Step(kind, a.Key, a.Value, a.FromAttribute, a.FromContext, contextSource, contextName, regex, groupNames, convertTo);
        return null;
    }

    private static string ConvertedTypeNotUsed(string action, int i) =>
        $"error creating AttrProc. Action \"{action}\" does not use the \"converted_type\" field. This must not be specified for {i}-th action";

    private static string InvalidPattern(string pattern, int i) =>
        $"error creating AttrProc. Field \"pattern\" has invalid pattern: \"{pattern}\" to be set at the {i}-th actions";

    private enum ActionKind
    {
        None,
        Insert,
        Update,
        Upsert,
        Delete,
        Hash,
        Extract,
        Convert,
    }

    private enum ContextSource
    {
        None,
        ClientAddress,
        Metadata,
        Auth,
    }

    private readonly record struct Step(
        ActionKind Kind,
        string Key,
        AnyValue? Value,
        string FromAttribute,
        string FromContext,
        ContextSource ContextSource,
        string ContextName,
        Regex? Regex,
        string[]? GroupNames,
        ConvertTarget ConvertTo);
}
