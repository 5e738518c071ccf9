using Pipeline.Abstractions.Configuration;
using Pipeline.Receivers.Ebpf.Routes;
using Xunit;

namespace Pipeline.Receivers.Ebpf.Tests.Routes;

public class RoutesConfigTests
{
    private const string Path = "receivers::ebpf::routes";

    [Fact]
    public void Defaults_MatchObi()
    {
        var config = new RoutesConfig();

        Assert.Empty(config.Patterns);
        Assert.Empty(config.IgnoredPatterns);
        Assert.Equal("all", config.IgnoreMode);
        Assert.Equal("heuristic", config.Unmatched);
        Assert.Equal("*", config.WildcardChar);
    }

    [Fact]
    public void Accepts_AllKeys()
    {
        var map = Map(
            ("patterns", List("/users/{id}", "/orders/:id")),
            ("ignored_patterns", new ConfigScalar("/health,/metrics", false)),
            ("ignore_mode", new ConfigScalar("traces", false)),
            ("unmatched", new ConfigScalar("path", false)),
            ("wildcard_char", new ConfigScalar("_", false)));
        var (config, errors) = Bind(map);

        Assert.Empty(errors);
        Assert.Equal(["/users/{id}", "/orders/:id"], config.Patterns);
        Assert.Equal(["/health", "/metrics"], config.IgnoredPatterns);
        Assert.Equal("traces", config.IgnoreMode);
        Assert.Equal("path", config.Unmatched);
        Assert.Equal("_", config.WildcardChar);
    }

    [Fact]
    public void Rejects_UnknownKey()
    {
        var (_, errors) = Bind(Map(("pattern", List("/x"))));

        Assert.Equal([$"{Path}: has invalid keys: pattern."], errors);
    }

    [Fact]
    public void Rejects_UnknownUnmatchedMode()
    {
        var (_, errors) = Bind(Map(("unmatched", new ConfigScalar("low-cardinality", false))));

        Assert.Equal([$"{Path}::unmatched: unsupported value \"low-cardinality\": must be one of heuristic, path, wildcard, unset."], errors);
    }

    [Fact]
    public void Rejects_UnknownIgnoreMode()
    {
        var (_, errors) = Bind(Map(("ignore_mode", new ConfigScalar("spans", false))));

        Assert.Equal([$"{Path}::ignore_mode: unsupported value \"spans\": must be one of all, traces, metrics."], errors);
    }

    [Fact]
    public void Rejects_PatternsWithoutLeadingSlashAndBadWildcard()
    {
        var config = new RoutesConfig { Patterns = ["users/{id}"], IgnoredPatterns = [""], WildcardChar = "**" };
        var list = new ConfigErrorList();

        config.Validate(new ValidationErrors(list, Path));

        Assert.Equal(
            [
                $"{Path}::patterns: pattern \"users/{{id}}\" must start with \"/\".",
                $"{Path}::ignored_patterns: pattern \"\" must start with \"/\".",
                $"{Path}::wildcard_char: \"**\" must be exactly one character other than \"/\".",
            ],
            list.Errors.Select(e => e.ToString()));
    }

    private static (RoutesConfig Config, List<string> Errors) Bind(ConfigMap map)
    {
        var config = new RoutesConfig();
        var list = new ConfigErrorList();
        config.Bind(new ConfigSection(map, Path, list));
        return (config, list.Errors.Select(e => e.ToString()).ToList());
    }

    private static ConfigMap Map(params (string Key, ConfigNode Value)[] entries)
    {
        var map = new ConfigMap();
        foreach (var (key, value) in entries)
        {
            map.Set(key, value);
        }

        return map;
    }

    private static ConfigList List(params string[] items) => new(items.Select(i => (ConfigNode)new ConfigScalar(i, false)).ToList());
}
