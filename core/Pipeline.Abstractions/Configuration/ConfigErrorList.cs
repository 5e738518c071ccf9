namespace Pipeline.Abstractions.Configuration;

/// <summary>Collects every config error (validation never stops at the first one), and key locations for messages.</summary>
public sealed class ConfigErrorList
{
    private readonly List<ConfigError> _errors = [];
    private readonly Dictionary<string, SourceLocation> _locations = new(StringComparer.Ordinal);

    /// <summary>The errors so far, in the order found.</summary>
    public IReadOnlyList<ConfigError> Errors => _errors;

    /// <summary>True when there is at least one error.</summary>
    public bool HasErrors => _errors.Count > 0;

    /// <summary>Adds an error; when no location is given, the location recorded for the path (or its nearest parent) is used.</summary>
    public void Add(string path, string message, SourceLocation? location = null)
    {
        location ??= LocationOf(path);
        _errors.Add(new ConfigError(path, message, location));
    }

    /// <summary>Records where a key path was written.</summary>
    public void RecordLocation(string path, SourceLocation? location)
    {
        if (location is not null)
        {
            _locations.TryAdd(path, location);
        }
    }

    /// <summary>Where a key path (or its nearest recorded parent) was written.</summary>
    public SourceLocation? LocationOf(string path)
    {
        while (true)
        {
            if (_locations.TryGetValue(path, out var location))
            {
                return location;
            }

            int cut = path.LastIndexOf("::", StringComparison.Ordinal);
            if (cut < 0)
            {
                return null;
            }

            path = path[..cut];
        }
    }

    /// <inheritdoc />
    public override string ToString() => string.Join(Environment.NewLine, _errors);
}
