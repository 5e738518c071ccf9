namespace Pipeline.Abstractions.Configuration;

/// <summary>A node of the resolved config tree (after env expansion and merging).</summary>
public abstract class ConfigNode
{
    /// <summary>Where the node was written, if known.</summary>
    public SourceLocation? Location { get; init; }

    /// <summary>A short word for error messages: map, list, string….</summary>
    public abstract string KindName { get; }

    /// <summary>
    /// For a value that came whole from a <c>${...}</c> reference, the text the provider returned before it was read
    /// as YAML; string fields take it as written, as otelcol does (so <c>"a: b"</c> in a variable is a string there
    /// and a map elsewhere). Null for values written in the config itself.
    /// </summary>
    public string? OriginalText { get; init; }
}

/// <summary>A mapping with ordered, case-sensitive keys.</summary>
public sealed class ConfigMap : ConfigNode
{
    private readonly List<KeyValuePair<string, ConfigNode>> _entries = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SourceLocation?> _keyLocations = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public override string KindName => "map";

    /// <summary>The entries in the order written.</summary>
    public IReadOnlyList<KeyValuePair<string, ConfigNode>> Entries => _entries;

    /// <summary>The number of keys.</summary>
    public int Count => _entries.Count;

    /// <summary>Sets a key (replacing an earlier value in place).</summary>
    public void Set(string key, ConfigNode value, SourceLocation? keyLocation = null)
    {
        if (_index.TryGetValue(key, out int i))
        {
            _entries[i] = new(key, value);
        }
        else
        {
            _index[key] = _entries.Count;
            _entries.Add(new(key, value));
        }

        _keyLocations[key] = keyLocation ?? value.Location;
    }

    /// <summary>Removes a key.</summary>
    public bool Remove(string key)
    {
        if (!_index.Remove(key, out int i))
        {
            return false;
        }

        _entries.RemoveAt(i);
        _keyLocations.Remove(key);
        for (int j = i; j < _entries.Count; j++)
        {
            _index[_entries[j].Key] = j;
        }

        return true;
    }

    /// <summary>Looks a key up.</summary>
    public bool TryGet(string key, out ConfigNode value)
    {
        if (_index.TryGetValue(key, out int i))
        {
            value = _entries[i].Value;
            return true;
        }

        value = null!;
        return false;
    }

    /// <summary>Where a key was written.</summary>
    public SourceLocation? KeyLocation(string key) => _keyLocations.GetValueOrDefault(key);
}

/// <summary>A sequence.</summary>
public sealed class ConfigList : ConfigNode
{
    /// <summary>Creates a list.</summary>
    public ConfigList(IReadOnlyList<ConfigNode> items) => Items = items;

    /// <inheritdoc />
    public override string KindName => "list";

    /// <summary>The items.</summary>
    public IReadOnlyList<ConfigNode> Items { get; }
}

/// <summary>A scalar: YAML null, or text with its YAML style.</summary>
public sealed class ConfigScalar : ConfigNode
{
    /// <summary>Creates a scalar.</summary>
    /// <param name="value">The text, or null for YAML null (<c>key:</c>, <c>~</c>, <c>null</c>).</param>
    /// <param name="quoted">True when written quoted (so <c>"8080"</c> is a string, not a number).</param>
    public ConfigScalar(string? value, bool quoted)
    {
        Value = value;
        Quoted = quoted;
    }

    /// <inheritdoc />
    public override string KindName => Value is null ? "null" : Quoted ? "string" : "scalar";

    /// <summary>The text, or null for YAML null.</summary>
    public string? Value { get; }

    /// <summary>True when the scalar was quoted and so is a string whatever it looks like.</summary>
    public bool Quoted { get; }

    /// <summary>True for YAML null.</summary>
    public bool IsNull => Value is null;
}
