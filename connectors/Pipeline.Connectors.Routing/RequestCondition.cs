using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Pipeline.Connectors.Routing;

/// <summary>
/// A <c>request</c> context condition: otelcol's deliberately tiny grammar, exactly <c>request["name"] == "value"</c>
/// or <c>request["name"] != "value"</c>, matched against the request's client metadata (gRPC metadata or HTTP headers;
/// names case-insensitive). A key that is absent matches neither form.
/// </summary>
internal sealed partial class RequestCondition
{
    private RequestCondition(string name, string value, bool equal)
    {
        Name = name;
        Value = value;
        Equal = equal;
    }

    /// <summary>The metadata key.</summary>
    public string Name { get; }

    /// <summary>The value compared with.</summary>
    public string Value { get; }

    /// <summary>True for <c>==</c>, false for <c>!=</c>.</summary>
    public bool Equal { get; }

    /// <summary>Parses a condition; <paramref name="error"/> is otelcol's message (<c>request.go</c>).</summary>
    public static bool TryParse(string condition, [NotNullWhen(true)] out RequestCondition? result, [NotNullWhen(false)] out string? error)
    {
        result = null;
        if (condition.Length == 0)
        {
            error = "condition is empty";
            return false;
        }

        var comparators = Comparator().Matches(condition);
        if (comparators.Count == 0)
        {
            error = "condition does not contain a valid comparator";
            return false;
        }

        if (comparators.Count > 1)
        {
            error = "condition contains multiple comparators";
            return false;
        }

        string op = comparators[0].Value;
        int at = comparators[0].Index;
        string left = condition[..at].Trim();
        string right = condition[(at + op.Length)..].Trim();
        var field = Field().Match(left);
        if (!field.Success)
        {
            error = "condition must have format 'request[\"<name>\"] <comparator> <value>'";
            return false;
        }

        if (right.Length < 2 || right[0] != '"' || right[^1] != '"')
        {
            error = "condition must have format 'request[\"<name>\"] <comparator> \"<value>\"'";
            return false;
        }

        result = new RequestCondition(field.Groups[1].Value, right[1..^1], op == "==");
        error = null;
        return true;
    }

    /// <summary>True when any value of the key satisfies the comparison; false when the key is absent.</summary>
    /// <param name="metadata">The request's client metadata, or null when it carries none.</param>
    public bool Matches(IReadOnlyDictionary<string, IReadOnlyList<string>>? metadata)
    {
        if (metadata is null)
        {
            return false;
        }

        foreach (var (key, values) in metadata)
        {
            if (!string.Equals(key, Name, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (string value in values)
            {
                if (string.Equals(value, Value, StringComparison.Ordinal) == Equal)
                {
                    return true;
                }
            }
        }

        return false;
    }

    [GeneratedRegex("==|!=")]
    private static partial Regex Comparator();

    [GeneratedRegex("^request\\[\"(.*)\"\\]$", RegexOptions.Singleline)]
    private static partial Regex Field();
}
