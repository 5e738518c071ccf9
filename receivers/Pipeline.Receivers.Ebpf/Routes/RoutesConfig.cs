using Pipeline.Abstractions.Configuration;

namespace Pipeline.Receivers.Ebpf.Routes;

/// <summary>The <c>routes</c> section of the eBPF receiver, with OpenTelemetry eBPF Instrumentation's key names so
/// its users' configs carry over: how a request path becomes <c>http.route</c>, and which paths are not reported.</summary>
public sealed class RoutesConfig : IComponentConfig
{
    /// <summary>The values <see cref="IgnoreMode"/> accepts.</summary>
    public static readonly IReadOnlyList<string> IgnoreModes = ["all", "traces", "metrics"];

    /// <summary>The values <see cref="Unmatched"/> accepts.</summary>
    public static readonly IReadOnlyList<string> UnmatchedModes = ["heuristic", "path", "wildcard", "unset"];

    /// <summary>Route patterns such as <c>/users/{id}</c> or <c>/users/:id</c>; a trailing <c>/*</c> matches any
    /// rest of the path. The matching pattern, as written, becomes <c>http.route</c>. Default: none.</summary>
    public List<string> Patterns { get; set; } = [];

    /// <summary>Paths (same pattern syntax) whose requests are not reported, e.g. health checks. Default: none.</summary>
    public List<string> IgnoredPatterns { get; set; } = [];

    /// <summary>What an ignored path drops: <c>all</c> (spans and metrics), <c>traces</c> or <c>metrics</c>.
    /// Default: <c>all</c>.</summary>
    public string IgnoreMode { get; set; } = "all";

    /// <summary>The route of a path no pattern matches: <c>heuristic</c> (segments with digits, non-ASCII characters or
    /// long hex ids become <see cref="WildcardChar"/>), <c>path</c> (the raw path), <c>wildcard</c> (<c>/**</c>) or
    /// <c>unset</c> (no route). Default: <c>heuristic</c>, as in OBI.</summary>
    public string Unmatched { get; set; } = "heuristic";

    /// <summary>The character the heuristic puts in place of an id segment. Default: <c>*</c>.</summary>
    public string WildcardChar { get; set; } = "*";

    /// <inheritdoc />
    public void Bind(ConfigSection section)
    {
        Patterns = section.GetStringList("patterns", Patterns);
        IgnoredPatterns = section.GetStringList("ignored_patterns", IgnoredPatterns);
        IgnoreMode = section.GetEnum("ignore_mode", IgnoreMode, IgnoreModes);
        Unmatched = section.GetEnum("unmatched", Unmatched, UnmatchedModes);
        WildcardChar = section.GetString("wildcard_char", WildcardChar);
        section.Finish();
    }

    /// <inheritdoc />
    public void Validate(ValidationErrors errors)
    {
        CheckPatterns(errors, "patterns", Patterns);
        CheckPatterns(errors, "ignored_patterns", IgnoredPatterns);
        if (WildcardChar.Length != 1 || WildcardChar[0] == '/')
        {
            errors.Add("wildcard_char", $"\"{WildcardChar}\" must be exactly one character other than \"/\".");
        }
    }

    private static void CheckPatterns(ValidationErrors errors, string key, List<string> patterns)
    {
        for (int i = 0; i < patterns.Count; i++)
        {
            if (patterns[i].Length == 0 || patterns[i][0] != '/')
            {
                errors.Add(key, $"pattern \"{patterns[i]}\" must start with \"/\".");
            }
        }
    }
}
