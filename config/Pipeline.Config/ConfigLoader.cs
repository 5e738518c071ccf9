using Microsoft.Extensions.Logging;
using Pipeline.Abstractions.Configuration;
using Pipeline.Config.Binding;
using Pipeline.Config.Expansion;
using Pipeline.Config.Sources;
using Pipeline.Config.Yaml;

namespace Pipeline.Config;

/// <summary>
/// Turns <c>--config</c> sources and <c>--set</c> flags into a validated <see cref="CollectorConfig"/>:
/// YAML (with line numbers) → merge (maps deep, lists replaced) → <c>--set</c> → <c>${...}</c> expansion → strict
/// binding onto each factory's default config → whole-config validation. Every error is collected; then one
/// <see cref="ConfigException"/> is thrown.
/// </summary>
public static partial class ConfigLoader
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
        ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(setFlags);
        var errors = new ConfigErrorList();
        if (sources.Count == 0)
        {
            errors.Add(string.Empty, "at least one config flag must be provided.");
            throw new ConfigException(errors.Errors);
        }

        var trees = new List<ConfigNode?>(sources.Count + setFlags.Count);
        foreach (string source in sources)
        {
            trees.Add(SourceReader.Read(source, environment, errors));
        }

        foreach (string flag in setFlags)
        {
            trees.Add(SourceReader.ReadSetFlag(flag, errors));
        }

        return Resolve(trees, new SourceLocation(sources[0], 0, 0), registry, environment, logger, errors);
    }

    /// <summary>Loads from YAML text (the embedded default config, tests).</summary>
    /// <exception cref="ConfigException">The config is invalid.</exception>
    public static CollectorConfig LoadYaml(
        string yaml,
        string sourceName,
        FactoryRegistry registry,
        Func<string, string?> environment,
        ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var errors = new ConfigErrorList();
        var tree = SourceReader.Parse(yaml, sourceName, errors, splitKeys: false);
        return Resolve([tree], new SourceLocation(sourceName, 0, 0), registry, environment, logger, errors);
    }

    /// <summary>
    /// Parses one YAML document into the config tree (locations, quoting, anchors kept; no <c>${...}</c> expansion
    /// and no binding). For component tests that bind a snippet with <see cref="ConfigSection"/>.
    /// </summary>
    /// <returns>The root, or null for an empty document.</returns>
    /// <exception cref="ConfigException">The text is not valid YAML.</exception>
    public static ConfigNode? ParseYaml(string yaml, string sourceName = "test.yaml")
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var errors = new ConfigErrorList();
        if (!YamlTreeReader.TryRead(yaml, sourceName, errors, out var root))
        {
            throw new ConfigException(errors.Errors);
        }

        return root;
    }

    private static CollectorConfig Resolve(
        List<ConfigNode?> trees,
        SourceLocation origin,
        FactoryRegistry registry,
        Func<string, string?> environment,
        ILogger logger,
        ConfigErrorList errors)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(logger);

        // A source that cannot be read or parsed leaves nothing trustworthy to bind.
        if (errors.HasErrors)
        {
            throw new ConfigException(errors.Errors);
        }

        ConfigNode? merged = null;
        foreach (var tree in trees)
        {
            merged = ConfigMerger.Merge(merged, tree);
        }

        var expanded = new ValueExpander(environment, logger, errors).Expand(merged);
        var config = new CollectorConfigBuilder(registry, errors, logger).Build(expanded, origin);
        if (errors.HasErrors)
        {
            throw new ConfigException(errors.Errors);
        }

        return config;
    }
}
