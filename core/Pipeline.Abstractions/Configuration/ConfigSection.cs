using System.Globalization;

namespace Pipeline.Abstractions.Configuration;

/// <summary>
/// Strict, case-sensitive binding of one config map onto a typed config. Each getter returns the current (default)
/// value when the key is absent, records an error naming the key path and value when it is present but wrong, and
/// marks the key as used; <see cref="Finish"/> reports every key nobody read: <c>has invalid keys: htttp</c>.
/// </summary>
public sealed class ConfigSection
{
    private readonly ConfigMap? _map;
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    private bool _finished;

    /// <summary>Creates a section over <paramref name="node"/> (a map, or null/absent for an empty section).</summary>
    public ConfigSection(ConfigNode? node, string path, ConfigErrorList errors)
    {
        Path = path;
        Errors = errors;
        Location = node?.Location;
        errors.RecordLocation(path, node?.Location);
        switch (node)
        {
            case ConfigMap map:
                _map = map;
                foreach (var entry in map.Entries)
                {
                    errors.RecordLocation(path + "::" + entry.Key, map.KeyLocation(entry.Key));
                }

                break;
            case null:
            case ConfigScalar { IsNull: true }:
                break;
            default:
                errors.Add(path, $"expected a map, got a {node.KindName}.", node.Location);
                break;
        }
    }

    /// <summary>The full key path, e.g. <c>receivers::otlp::protocols</c>.</summary>
    public string Path { get; }

    /// <summary>Where the section was written.</summary>
    public SourceLocation? Location { get; }

    /// <summary>The error sink shared by the whole config.</summary>
    public ConfigErrorList Errors { get; }

    /// <summary>The keys written in this section, in order.</summary>
    public IEnumerable<string> Keys
    {
        get
        {
            if (_map is null)
            {
                yield break;
            }

            foreach (var entry in _map.Entries)
            {
                yield return entry.Key;
            }
        }
    }

    /// <summary>True when <paramref name="key"/> is written here (even with a null value).</summary>
    public bool Has(string key) => _map is not null && _map.TryGet(key, out _);

    /// <summary>The full path of a key in this section.</summary>
    public string PathOf(string key) => Path + "::" + key;

    /// <summary>Adds an error at a key of this section.</summary>
    public void Error(string key, string message) => Errors.Add(key.Length == 0 ? Path : PathOf(key), message);

    /// <summary>The raw node of a key (marking it used), or null when absent.</summary>
    public ConfigNode? GetNode(string key)
    {
        if (_map is null || !_map.TryGet(key, out var node))
        {
            return null;
        }

        _used.Add(key);
        return node;
    }

    /// <summary>A nested map, or null when the key is absent. A key with a null value gives an empty section.</summary>
    public ConfigSection? GetSection(string key)
    {
        var node = GetNode(key);
        return node is null ? null : new ConfigSection(node, PathOf(key), Errors);
    }

    /// <summary>A list of maps (e.g. <c>actions</c>); absent gives null.</summary>
    public IReadOnlyList<ConfigSection>? GetSectionList(string key)
    {
        var node = GetNode(key);
        switch (node)
        {
            case null:
                return null;
            case ConfigScalar { IsNull: true }:
                return [];
            case ConfigList list:
                var result = new List<ConfigSection>(list.Items.Count);
                for (int i = 0; i < list.Items.Count; i++)
                {
                    result.Add(new ConfigSection(list.Items[i], PathOf(key) + "::" + i.ToString(CultureInfo.InvariantCulture), Errors));
                }

                return result;
            default:
                Errors.Add(PathOf(key), $"expected a list, got a {node.KindName}.", node.Location);
                return null;
        }
    }

    /// <summary>A string value. Numbers and booleans written plain are accepted as their text (mapstructure does not,
    /// but YAML users expect <c>value: 42</c> to work for a string field only where the field is documented as such).
    /// A null value (<c>key:</c>, or an unset <c>${env:VAR}</c>) keeps the current value, as mapstructure does.</summary>
    public string GetString(string key, string current)
    {
        var node = GetNode(key);
        switch (node)
        {
            case null:
            case ConfigScalar { IsNull: true }:
                return current;
            case ConfigScalar scalar:
                return scalar.OriginalText ?? scalar.Value ?? string.Empty;
            case { OriginalText: { } original }:
                return original;
            default:
                Errors.Add(PathOf(key), $"expected a string, got a {node.KindName}.", node.Location);
                return current;
        }
    }

    /// <summary>An optional string: null when absent or null.</summary>
    public string? GetOptionalString(string key, string? current)
    {
        var node = GetNode(key);
        switch (node)
        {
            case null:
                return current;
            case ConfigScalar { IsNull: true }:
                return null;
            case ConfigScalar scalar:
                return scalar.OriginalText ?? scalar.Value;
            case { OriginalText: { } original }:
                return original;
            default:
                Errors.Add(PathOf(key), $"expected a string, got a {node.KindName}.", node.Location);
                return current;
        }
    }

    /// <summary>A 64-bit integer within [min, max].</summary>
    public long GetInt64(string key, long current, long min = long.MinValue, long max = long.MaxValue)
    {
        if (!TryGetPlain(key, "an integer", out string? text, out var location))
        {
            return current;
        }

        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
        {
            Errors.Add(PathOf(key), $"expected an integer, got \"{text}\".", location);
            return current;
        }

        if (value < min || value > max)
        {
            Errors.Add(PathOf(key), RangeMessage(text!, min, max), location);
            return current;
        }

        return value;
    }

    /// <summary>A 32-bit integer within [min, max].</summary>
    public int GetInt32(string key, int current, int min = int.MinValue, int max = int.MaxValue) =>
        (int)GetInt64(key, current, min, max);

    /// <summary>A floating-point number within [min, max].</summary>
    public double GetDouble(string key, double current, double min = double.MinValue, double max = double.MaxValue)
    {
        if (!TryGetPlain(key, "a number", out string? text, out var location))
        {
            return current;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || double.IsNaN(value))
        {
            Errors.Add(PathOf(key), $"expected a number, got \"{text}\".", location);
            return current;
        }

        if (value < min || value > max)
        {
            Errors.Add(PathOf(key), $"{text} is out of range: must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}.", location);
            return current;
        }

        return value;
    }

    /// <summary>A boolean (YAML 1.2 core schema: true/false in any case).</summary>
    public bool GetBool(string key, bool current)
    {
        if (!TryGetPlain(key, "a boolean", out string? text, out var location))
        {
            return current;
        }

        if (bool.TryParse(text, out bool value))
        {
            return value;
        }

        Errors.Add(PathOf(key), $"expected a boolean (true or false), got \"{text}\".", location);
        return current;
    }

    /// <summary>A Go-syntax duration (<c>200ms</c>, <c>5s</c>, <c>1m30s</c>); negative values are refused unless allowed.</summary>
    public TimeSpan GetDuration(string key, TimeSpan current, bool allowNegative = false)
    {
        var node = GetNode(key);
        if (node is null or ConfigScalar { IsNull: true })
        {
            return current;
        }

        if (node is not ConfigScalar { IsNull: false } scalar)
        {
            Errors.Add(PathOf(key), $"expected a duration such as 200ms, 5s or 1m30s, got a {node.KindName}.", node.Location);
            return current;
        }

        if (!GoDuration.TryParse(scalar.Value!, out var value))
        {
            Errors.Add(PathOf(key), $"invalid duration \"{scalar.Value}\": use a number with a unit (ns, us, ms, s, m, h) such as 200ms, 5s or 1m30s.", node.Location);
            return current;
        }

        if (value < TimeSpan.Zero && !allowNegative)
        {
            Errors.Add(PathOf(key), $"duration \"{scalar.Value}\" must not be negative.", node.Location);
            return current;
        }

        return value;
    }

    /// <summary>A list of strings; a single string is split on commas (otelcol's string → []string hook).</summary>
    public List<string> GetStringList(string key, List<string> current)
    {
        var node = GetNode(key);
        switch (node)
        {
            case null:
                return current;
            case ConfigScalar { IsNull: true }:
                return [];
            case ConfigScalar scalar:
                return [.. scalar.Value!.Split(',', StringSplitOptions.TrimEntries)];
            case ConfigList list:
                var result = new List<string>(list.Items.Count);
                for (int i = 0; i < list.Items.Count; i++)
                {
                    if (list.Items[i] is ConfigScalar { IsNull: false } item)
                    {
                        result.Add(item.Value!);
                    }
                    else
                    {
                        Errors.Add(PathOf(key) + "::" + i.ToString(CultureInfo.InvariantCulture), $"expected a string, got a {list.Items[i].KindName}.", list.Items[i].Location);
                    }
                }

                return result;
            default:
                Errors.Add(PathOf(key), $"expected a list of strings, got a {node.KindName}.", node.Location);
                return current;
        }
    }

    /// <summary>A map of string to string (e.g. <c>headers</c>).</summary>
    public Dictionary<string, string> GetStringMap(string key, Dictionary<string, string> current)
    {
        var node = GetNode(key);
        switch (node)
        {
            case null:
                return current;
            case ConfigScalar { IsNull: true }:
                return new(StringComparer.Ordinal);
            case ConfigMap map:
                var result = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var entry in map.Entries)
                {
                    if (entry.Value is ConfigScalar scalar)
                    {
                        result[entry.Key] = scalar.Value ?? string.Empty;
                    }
                    else
                    {
                        Errors.Add(PathOf(key) + "::" + entry.Key, $"expected a string, got a {entry.Value.KindName}.", entry.Value.Location);
                    }
                }

                return result;
            default:
                Errors.Add(PathOf(key), $"expected a map of strings, got a {node.KindName}.", node.Location);
                return current;
        }
    }

    /// <summary>One of a fixed set of words (case-sensitive unless asked); the error lists the allowed ones.</summary>
    public string GetEnum(string key, string current, IReadOnlyList<string> allowed, bool ignoreCase = false)
    {
        var node = GetNode(key);
        if (node is null or ConfigScalar { IsNull: true })
        {
            return current;
        }

        if (node is ConfigScalar { IsNull: false } scalar)
        {
            foreach (var option in allowed)
            {
                if (string.Equals(option, scalar.Value, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
                {
                    return option;
                }
            }

            Errors.Add(PathOf(key), $"unsupported value \"{scalar.Value}\": must be one of {string.Join(", ", allowed)}.", node.Location);
            return current;
        }

        Errors.Add(PathOf(key), $"expected one of {string.Join(", ", allowed)}, got a {node.KindName}.", node.Location);
        return current;
    }

    /// <summary>Reports every key that no getter read, as otelcol does: <c>has invalid keys: a, b</c>. Calling it
    /// again (a component's Bind and then the loader) reports nothing more.</summary>
    public void Finish()
    {
        if (_map is null || _finished)
        {
            return;
        }

        _finished = true;

        List<string>? unknown = null;
        SourceLocation? first = null;
        foreach (var entry in _map.Entries)
        {
            if (!_used.Contains(entry.Key))
            {
                (unknown ??= []).Add(entry.Key);
                first ??= _map.KeyLocation(entry.Key);
            }
        }

        if (unknown is not null)
        {
            Errors.Add(Path, $"has invalid keys: {string.Join(", ", unknown)}.", first);
        }
    }

    private bool TryGetPlain(string key, string expected, out string? text, out SourceLocation? location)
    {
        var node = GetNode(key);
        text = null;
        location = node?.Location;

        // A null value keeps the current one, as mapstructure does with nil input.
        if (node is null or ConfigScalar { IsNull: true })
        {
            return false;
        }

        if (node is ConfigScalar { IsNull: false, Quoted: false } scalar)
        {
            text = scalar.Value;
            return true;
        }

        string got = node is ConfigScalar { Quoted: true } quoted ? $"the string \"{quoted.Value}\"" : "a " + node.KindName;
        Errors.Add(PathOf(key), $"expected {expected}, got {got}.", node.Location);
        return false;
    }

    private static string RangeMessage(string text, long min, long max)
    {
        if (min != long.MinValue && max != long.MaxValue)
        {
            return $"{text} is out of range: must be between {min} and {max}.";
        }

        return min != long.MinValue ? $"{text} is out of range: must be >= {min}." : $"{text} is out of range: must be <= {max}.";
    }
}
