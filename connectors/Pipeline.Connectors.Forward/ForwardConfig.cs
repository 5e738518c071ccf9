using Pipeline.Abstractions.Configuration;

namespace Pipeline.Connectors.Forward;

/// <summary>The <c>forward</c> connector has no settings.</summary>
public sealed class ForwardConfig : IComponentConfig
{
    /// <inheritdoc />
    public void Bind(ConfigSection section)
    {
    }

    /// <inheritdoc />
    public void Validate(ValidationErrors errors)
    {
    }
}
