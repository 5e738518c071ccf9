using System.Globalization;
using Pipeline.Abstractions.Configuration;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Testing;

/// <summary>Turns a YAML snippet into the config tree, and binds/validates a component config against it.</summary>
public static class Yaml
{
    public static ConfigNode Parse(string yaml) =>
        ParseDocument(yaml) ?? throw new ArgumentException("The YAML holds no document.", nameof(yaml));

    /// <summary>The document's tree, or null for an empty document (an empty section, as in a config file).</summary>
    private static ConfigNode? ParseDocument(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
    }

    /// <summary>Binds and validates under the config path <paramref name="path"/> (e.g. <c>processors::test</c>);
    /// returns every error as <c>path: message</c>. Empty YAML binds an absent section.</summary>
    public static List<string> Load(string path, IComponentConfig config, string yaml)
    {
        var errors = new ConfigErrorList();
        config.Bind(new ConfigSection(ParseDocument(yaml), path, errors));
        if (!errors.HasErrors)
        {
            config.Validate(new ValidationErrors(errors, path));
        }

        var result = new List<string>();
        foreach (var e in errors.Errors)
        {
            result.Add(e.Path + ": " + e.Message);
        }

        return result;
    }

    private static ConfigNode Convert(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                var result = new ConfigMap();
                foreach (var entry in map.Children)
                {
                    result.Set(((YamlScalarNode)entry.Key).Value!, Convert(entry.Value));
                }

                return result;
            case YamlSequenceNode seq:
                var items = new List<ConfigNode>();
                foreach (var item in seq.Children)
                {
                    items.Add(Convert(item));
                }

                return new ConfigList(items);
            case YamlScalarNode scalar:
                bool quoted = scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted;
                bool isNull = !quoted && (scalar.Value is null or "" or "~" or "null");
                return new ConfigScalar(isNull ? null : scalar.Value, quoted);
            default:
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Unsupported YAML node {node.NodeType}."));
        }
    }
}
