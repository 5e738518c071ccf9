using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Pipeline.Processors.Common;

/// <summary>Compiles otelcol (Go RE2) patterns. <c>(?P&lt;name&gt;…)</c> is rewritten to .NET's <c>(?&lt;name&gt;…)</c>, and
/// the non-backtracking engine keeps matching linear in the input, as RE2 does. Matching is unanchored, as Go's
/// <c>MatchString</c>.</summary>
public static class GoRegex
{
    /// <summary>Compiles a pattern; on failure <paramref name="error"/> says why.</summary>
    public static bool TryCompile(string pattern, [NotNullWhen(true)] out Regex? regex, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        string dotnet = pattern.Replace("(?P<", "(?<", StringComparison.Ordinal);
        try
        {
            regex = new Regex(dotnet, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
            error = null;
            return true;
        }
        catch (ArgumentException ex)
        {
            regex = null;
            error = ex.Message;
            return false;
        }
        catch (NotSupportedException ex)
        {
            regex = null;
            error = ex.Message;
            return false;
        }
    }
}
