using Pipeline.Abstractions.Configuration;

namespace Pipeline.Host.Tests.Graph;

/// <summary>A config with test switches and no keys.</summary>
internal sealed class FakeConfig : IComponentConfig
{
    public string? FailStart { get; set; }

    public void Bind(ConfigSection section) => section.Finish();

    public void Validate(ValidationErrors errors)
    {
    }
}
