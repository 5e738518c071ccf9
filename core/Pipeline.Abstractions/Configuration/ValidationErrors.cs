namespace Pipeline.Abstractions.Configuration;

/// <summary>The view of <see cref="ConfigErrorList"/> a component's Validate gets: keys relative to the component.</summary>
public sealed class ValidationErrors
{
    private readonly ConfigErrorList _errors;
    private readonly string _prefix;

    /// <summary>Creates a view whose keys are under <paramref name="prefix"/> (e.g. <c>processors::batch</c>).</summary>
    public ValidationErrors(ConfigErrorList errors, string prefix)
    {
        _errors = errors;
        _prefix = prefix;
    }

    /// <summary>The path of the component.</summary>
    public string Prefix => _prefix;

    /// <summary>Adds an error at a key relative to the component (empty for the component itself).</summary>
    public void Add(string relativeKey, string message)
    {
        string path = relativeKey.Length == 0 ? _prefix : _prefix + "::" + relativeKey;
        _errors.Add(path, message);
    }

    /// <summary>A view for a nested section, e.g. <c>retry_on_failure</c>.</summary>
    public ValidationErrors Nested(string relativeKey) => new(_errors, _prefix + "::" + relativeKey);
}
