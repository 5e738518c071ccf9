using Microsoft.Extensions.Logging;

namespace Pipeline.Config;

/// <summary>
/// Turns <c>--config</c> sources and <c>--set</c> flags into a validated <see cref="CollectorConfig"/>:
/// YAML (with line numbers) → env expansion → merge (maps deep, lists replaced) → <c>--set</c> → strict binding onto
/// each factory's default config → whole-config validation. Every error is collected; then one
/// <see cref="ConfigException"/> is thrown.
/// </summary>
public static class ConfigLoader
{
    /// <summary>Loads and validates.</summary>
    /// <param name="sources">Config sources in merge order: file paths, <c>file:path</c>, <c>env:VAR</c>, <c>yaml:a::b: v</c>.</param>
    /// <param name="setFlags">The values of <c>--set</c> flags (<c>a.b.c=v</c>), applied last.</param>
    /// <param name="registry">The factories to bind against.</param>
    /// <param name="environment">Environment lookup (null when unset); tests pass their own.</param>
    /// <param name="logger">For the warnings otelcol logs (unset variables, deprecated aliases).</param>
    /// <exception cref="ConfigException">The config is invalid.</exception>
    public static CollectorConfig Load(
        IReadOnlyList<string> sources,
        IReadOnlyList<string> setFlags,
        FactoryRegistry registry,
        Func<string, string?> environment,
        ILogger logger) => throw new NotImplementedException();

    /// <summary>Loads from YAML text (the embedded default config, tests).</summary>
    /// <exception cref="ConfigException">The config is invalid.</exception>
    public static CollectorConfig LoadYaml(
        string yaml,
        string sourceName,
        FactoryRegistry registry,
        Func<string, string?> environment,
        ILogger logger) => throw new NotImplementedException();
}
