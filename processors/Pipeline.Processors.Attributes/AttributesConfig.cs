using Pipeline.Abstractions.Configuration;
using Pipeline.Processors.Common;

namespace Pipeline.Processors.Attributes;

/// <summary>The <c>attributes</c> processor's config (otelcol-contrib <c>processor/attributesprocessor/config.go</c>).</summary>
public sealed class AttributesConfig : IComponentConfig
{
    /// <summary>Actions applied in order to the attributes of each selected span, log record or data point. Required.</summary>
    public List<AttributeActionConfig> Actions { get; set; } = [];

    /// <summary>Only items matching this block are processed; null when not set.</summary>
    public MatchPropertiesConfig? Include { get; set; }

    /// <summary>Items matching this block are not processed (checked after <see cref="Include"/>); null when not set.</summary>
    public MatchPropertiesConfig? Exclude { get; set; }

    /// <summary>The compiled actions, set by <see cref="Validate"/> when they are valid.</summary>
    internal AttributeActions? Compiled { get; private set; }

    /// <inheritdoc />
    public void Bind(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        Actions = AttributeActionConfig.BindList(section, "actions", Actions);
        Include = section.GetSection("include") is { } include ? MatchPropertiesConfig.Bind(include) : Include;
        Exclude = section.GetSection("exclude") is { } exclude ? MatchPropertiesConfig.Bind(exclude) : Exclude;
        section.Finish();
    }

    /// <inheritdoc />
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (Actions.Count == 0)
        {
            errors.Add(string.Empty, "missing required field \"actions\".");
        }
        else
        {
            var messages = new List<string>();
            Compiled = AttributeActions.Create(Actions, messages);
            foreach (string message in messages)
            {
                errors.Add("actions", message + ".");
            }
        }

        Include?.Validate(errors.Nested("include"));
        Exclude?.Validate(errors.Nested("exclude"));
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
        return AttributeActions.Create(Actions, messages)
            ?? throw new InvalidOperationException(string.Join(" ", messages));
    }
}
