using System.Text.RegularExpressions;
using Pipeline.Processors.Common;

namespace Pipeline.Processors.Attributes;

/// <summary>A set of strings matched strictly (equality) or by unanchored regular expressions (otelcol's filterset).</summary>
internal sealed class StringFilter
{
    private readonly HashSet<string>? _strict;
    private readonly Regex[]? _regexes;

    private StringFilter(HashSet<string>? strict, Regex[]? regexes)
    {
        _strict = strict;
        _regexes = regexes;
    }

    /// <summary>Null for an empty list (the property is not checked).</summary>
    public static StringFilter? Create(IReadOnlyList<string> items, bool regexp)
    {
        if (items.Count == 0)
        {
            return null;
        }

        if (!regexp)
        {
            return new StringFilter(new HashSet<string>(items, StringComparer.Ordinal), null);
        }

        var regexes = new Regex[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            if (!GoRegex.TryCompile(items[i], out var regex, out string? error))
            {
                throw new InvalidOperationException($"error parsing regexp \"{items[i]}\": {error}");
            }

            regexes[i] = regex;
        }

        return new StringFilter(null, regexes);
    }

    public bool Matches(string value)
    {
        if (_strict is not null)
        {
            return _strict.Contains(value);
        }

        foreach (var regex in _regexes!)
        {
            if (regex.IsMatch(value))
            {
                return true;
            }
        }

        return false;
    }
}
