using OpenTelemetry.Proto.Common.V1;
using Pipeline.Abstractions.Configuration;

namespace Pipeline.Processors.Common;

/// <summary>One entry of an <c>actions</c> (attributes) or <c>attributes</c> (resource) list, as otelcol's
/// <c>attraction.ActionKeyValue</c>. Rules between fields are checked by <see cref="AttributeActions.Create"/>.</summary>
public sealed class AttributeActionConfig
{
    /// <summary>The attribute acted on. Required except for delete/hash with a pattern.</summary>
    public string Key { get; set; } = string.Empty;

    /// <summary>The value for insert/update/upsert, keeping its YAML type; null when not set.</summary>
    public AnyValue? Value { get; set; }

    /// <summary>A regular expression (Go RE2 syntax, <c>(?P&lt;name&gt;…)</c> accepted): attribute keys for delete/hash,
    /// named groups for extract.</summary>
    public string Pattern { get; set; } = string.Empty;

    /// <summary>The attribute whose value insert/update/upsert copy.</summary>
    public string FromAttribute { get; set; } = string.Empty;

    /// <summary>The client value insert/update/upsert copy from the batch's <c>ClientInfo</c>: <c>metadata.x</c> (or a bare
    /// <c>x</c>: metadata key x, values joined with <c>;</c>; needs the receiver's <c>include_metadata</c> or a batch
    /// <c>metadata_keys</c> entry), <c>client.address</c> (the client's IP), <c>auth.x</c> (never found: no
    /// authenticators). A value not found leaves the attribute alone. Default none.</summary>
    public string FromContext { get; set; } = string.Empty;

    /// <summary>The type convert changes to: <c>int</c>, <c>double</c> or <c>string</c>.</summary>
    public string ConvertedType { get; set; } = string.Empty;

    /// <summary>insert, update, upsert, delete, hash, extract or convert (any case).</summary>
    public string Action { get; set; } = string.Empty;

    /// <summary>Reads one action map.</summary>
    public static AttributeActionConfig Bind(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var config = new AttributeActionConfig
        {
            Key = section.GetString("key", string.Empty),
            Value = AttributeValues.FromConfig(section.GetNode("value")),
            Pattern = section.GetString("pattern", string.Empty),
            FromAttribute = section.GetString("from_attribute", string.Empty),
            FromContext = section.GetString("from_context", string.Empty),
            ConvertedType = section.GetString("converted_type", string.Empty),
            Action = section.GetString("action", string.Empty),
        };
        section.Finish();
        return config;
    }

    /// <summary>Reads a list of action maps (null when the key is absent).</summary>
    public static List<AttributeActionConfig> BindList(ConfigSection section, string key, List<AttributeActionConfig> current)
    {
        ArgumentNullException.ThrowIfNull(section);
        var sections = section.GetSectionList(key);
        if (sections is null)
        {
            return current;
        }

        var result = new List<AttributeActionConfig>(sections.Count);
        foreach (var item in sections)
        {
            result.Add(Bind(item));
        }

        return result;
    }
}
