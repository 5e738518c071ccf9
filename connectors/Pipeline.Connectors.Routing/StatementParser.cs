using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Pipeline.Connectors.Routing;

/// <summary>Reads a route <c>statement</c>: the only editor the routing connector has is <c>route()</c>, so a
/// statement is <c>route()</c> (always matches) or <c>route() where &lt;condition&gt;</c>.</summary>
internal static partial class StatementParser
{
    /// <summary>The condition of <paramref name="statement"/> (<c>true</c> when it has no where clause).</summary>
    public static bool TryGetCondition(string statement, out string condition, [NotNullWhen(false)] out string? error)
    {
        var match = Route().Match(statement);
        if (!match.Success)
        {
            condition = string.Empty;
            error = $"unable to parse OTTL statement \"{statement}\": a routing statement must be route() or route() where <condition>";
            return false;
        }

        condition = match.Groups["c"].Success ? match.Groups["c"].Value : "true";
        error = null;
        return true;
    }

    [GeneratedRegex("^\\s*route\\s*\\(\\s*\\)(?:\\s+where\\s+(?<c>.*\\S))?\\s*$", RegexOptions.Singleline)]
    private static partial Regex Route();
}
