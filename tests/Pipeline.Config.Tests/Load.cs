using Pipeline.Config.Tests.Fakes;

namespace Pipeline.Config.Tests;

/// <summary>Shortcuts for loading with the fake factories and a fixed environment.</summary>
internal static class Load
{
    /// <summary>The source name inline YAML is loaded under.</summary>
    public const string Source = "test.yaml";

    /// <summary>A valid remainder for tests about one section.</summary>
    public const string MinimalPipeline = """
        receivers:
          fake:
        exporters:
          debug:
        service:
          pipelines:
            traces:
              receivers: [fake]
              exporters: [debug]
        """;

    public static string TestData(string name) => Path.Combine(AppContext.BaseDirectory, "testdata", name);

    public static Func<string, string?> Env(Dictionary<string, string>? variables) =>
        name => variables is not null && variables.TryGetValue(name, out var value) ? value : null;

    public static CollectorConfig Yaml(string yaml, Dictionary<string, string>? env = null, ListLogger? logger = null) =>
        ConfigLoader.LoadYaml(yaml, Source, FakeFactories.Registry(), Env(env), logger ?? new ListLogger());

    public static CollectorConfig Sources(string[] sources, string[]? set = null, Dictionary<string, string>? env = null, ListLogger? logger = null) =>
        ConfigLoader.Load(sources, set ?? [], FakeFactories.Registry(), Env(env), logger ?? new ListLogger());

    /// <summary>The errors of a YAML that must fail, as "path: message (file:line:col)".</summary>
    public static string[] Errors(string yaml, Dictionary<string, string>? env = null) =>
        Describe(Assert.Throws<ConfigException>(() => Yaml(yaml, env)));

    public static string[] SourceErrors(string[] sources, string[]? set = null, Dictionary<string, string>? env = null) =>
        Describe(Assert.Throws<ConfigException>(() => Sources(sources, set, env)));

    private static string[] Describe(ConfigException e) => [.. e.Errors.Select(x => x.ToString())];
}
