using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Pipeline.Abstractions;

/// <summary>A component ID, <c>type[/name]</c>, with otelcol's syntax rules (component/identifiable.go).</summary>
/// <param name="Type">The component type, e.g. <c>otlp</c>.</param>
/// <param name="Name">The instance name after the first <c>/</c>, or empty.</param>
public readonly partial record struct ComponentId(string Type, string Name)
{
    /// <summary>Creates an ID without a name.</summary>
    public ComponentId(string type)
        : this(type, string.Empty)
    {
    }

    /// <inheritdoc />
    public override string ToString() => Name.Length == 0 ? Type : Type + "/" + Name;

    /// <summary>Parses <c>type[/name]</c>; on failure <paramref name="error"/> is otelcol's message.</summary>
    public static bool TryParse(string text, out ComponentId id, [NotNullWhen(false)] out string? error)
    {
        id = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "id must not be empty";
            return false;
        }

        string type;
        string name = string.Empty;
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            type = text[..slash].Trim();
            name = text[(slash + 1)..].Trim();
            if (type.Length == 0)
            {
                error = $"in \"{text}\" id: the part before / should not be empty";
                return false;
            }

            if (name.Length == 0)
            {
                error = $"in \"{text}\" id: the part after / should not be empty";
                return false;
            }
        }
        else
        {
            type = text.Trim();
        }

        if (!TypeRegex().IsMatch(type))
        {
            error = $"in \"{text}\" id: invalid character(s) in type \"{type}\"";
            return false;
        }

        if (name.Length > 1024)
        {
            error = $"in \"{text}\" id: name \"{name}\" is longer than 1024 characters ({name.Length} characters)";
            return false;
        }

        if (name.Length > 0 && !NameRegex().IsMatch(name))
        {
            error = $"in \"{text}\" id: invalid character(s) in name \"{name}\"";
            return false;
        }

        id = new ComponentId(type, name);
        error = null;
        return true;
    }

    /// <summary>Whether <paramref name="type"/> is a valid component type.</summary>
    public static bool IsValidType(string type) => TypeRegex().IsMatch(type);

    [GeneratedRegex("^[a-zA-Z][0-9a-zA-Z_]{0,62}$")]
    private static partial Regex TypeRegex();

    [GeneratedRegex(@"^[^\p{Z}\p{C}\p{S}]+$")]
    private static partial Regex NameRegex();
}
