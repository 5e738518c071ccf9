using Pipeline.Abstractions.Configuration;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Exporters.Tests.Helper;

/// <summary>Binds YAML onto a component config in tests and returns every binding and validation error.</summary>
internal static class ConfigYaml
{
    public static List<string> BindAndValidate(IComponentConfig config, string yaml, string path)
    {
        var errors = new ConfigErrorList();
        var section = new ConfigSection(Parse(yaml), path, errors);
        config.Bind(section);
        if (!errors.HasErrors)
        {
            config.Validate(new ValidationErrors(errors, path));
        }

        var result = new List<string>();
        foreach (var error in errors.Errors)
        {
            result.Add(error.Path + ": " + error.Message);
        }

        return result;
    }

    public static ConfigNode? Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
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
            case YamlSequenceNode list:
                var items = new List<ConfigNode>();
                foreach (var item in list.Children)
                {
                    items.Add(Convert(item));
                }

                return new ConfigList(items);
            default:
                var scalar = (YamlScalarNode)node;
                bool quoted = scalar.Style is YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted;
                bool isNull = !quoted && (scalar.Value is null or "" or "~" or "null");
                return new ConfigScalar(isNull ? null : scalar.Value, quoted);
        }
    }
}
