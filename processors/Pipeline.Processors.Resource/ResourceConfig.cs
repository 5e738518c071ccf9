using Pipeline.Abstractions.Configuration;
using Pipeline.Processors.Common;

namespace Pipeline.Processors.Resource;

/// <summary>The <c>resource</c> processor's config (otelcol-contrib <c>processor/resourceprocessor/config.go</c>).</summary>
public sealed class ResourceConfig : IComponentConfig
{
    /// <summary>Actions applied in order to each resource's attributes (same schema as the attributes processor's
    /// <c>actions</c>). Required; no default.</summary>
    public List<AttributeActionConfig> Attributes { get; set; } = [];

    /// <summary>The compiled actions, set by <see cref="Validate"/> when they are valid.</summary>
    internal AttributeActions? Compiled { get; private set; }

    /// <inheritdoc />
    public void Bind(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        Attributes = AttributeActionConfig.BindList(section, "attributes", Attributes);
        section.Finish();
    }

    /// <inheritdoc />
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (Attributes.Count == 0)
        {
            errors.Add(string.Empty, "missing required field \"attributes\".");
            return;
        }

        var messages = new List<string>();
        Compiled = AttributeActions.Create(Attributes, messages);
        foreach (string message in messages)
        {
            errors.Add("attributes", message + ".");
        }
    }

    /// <summary>The compiled actions (compiling now if <see cref="Validate"/> did not run).</summary>
    /// <exception cref="InvalidOperationException">The actions are invalid.</exception>
    internal AttributeActions GetActions()
    {
        if (Compiled is not null)
        {
            return Compiled;
        }

        var messages = new List<string>();
        return AttributeActions.Create(Attributes, messages)
            ?? throw new InvalidOperationException(string.Join(" ", messages));
    }
}
