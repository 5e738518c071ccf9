using Pipeline.Abstractions.Configuration;

namespace Pipeline.Receivers.Ebpf.Tests.Discovery;

/// <summary>Builds config trees by hand (the YAML loader is internal to Pipeline.Config).</summary>
internal static class Nodes
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

    public static ConfigList List(params ConfigNode[] items) => new(items);

    public static ConfigScalar S(string value) => new(value, quoted: false);

    public static ConfigSection Section(ConfigNode node, ConfigErrorList errors, string path = "d") => new(node, path, errors);
}
