using Pipeline.Abstractions.Configuration;

namespace Pipeline.Exporters.Nop;

/// <summary>The nop exporter has no settings; any key is an error.</summary>
internal sealed class NopExporterConfig : IComponentConfig
{
    /// <inheritdoc />
    public void Bind(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        section.Finish();
    }

    /// <inheritdoc />
    public void Validate(ValidationErrors errors)
    {
    }
}
