using Pipeline.Abstractions.Configuration;
using Pipeline.Receivers.Otlp.Config;

namespace Pipeline.Receivers.Otlp.Tests;

/// <summary>Builds config trees as the YAML loader would, and binds them as the host does.</summary>
internal static class ConfigTree
{
    public static ConfigMap Map(params (string Key, ConfigNode Value)[] entries)
    {
        var map = new ConfigMap();
        foreach (var (key, value) in entries)
        {
            map.Set(key, value);
        }

        return map;
    }

    public static ConfigScalar S(string? value) => new(value, quoted: false);

    public static ConfigScalar Null => new(null, quoted: false);

    public static ConfigList List(params string[] items) => new([.. items.Select(i => (ConfigNode)new ConfigScalar(i, quoted: true))]);

    /// <summary>Binds <c>receivers::otlp</c> onto the factory's default config and validates it.</summary>
    public static (OtlpReceiverConfig Config, List<string> Errors) Bind(ConfigNode? node)
    {
        var config = (OtlpReceiverConfig)new OtlpReceiverFactory().CreateDefaultConfig();
        var errors = new ConfigErrorList();
        config.Bind(new ConfigSection(node, "receivers::otlp", errors));
        config.Validate(new ValidationErrors(errors, "receivers::otlp"));
        return (config, [.. errors.Errors.Select(e => e.ToString())]);
    }

    /// <summary>Binds <c>protocols: {name: body}</c>.</summary>
    public static (OtlpReceiverConfig Config, List<string> Errors) BindProtocol(string name, ConfigNode body) =>
        Bind(Map(("protocols", Map((name, body)))));
}
