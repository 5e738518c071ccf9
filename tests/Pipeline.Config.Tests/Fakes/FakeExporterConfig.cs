using Pipeline.Abstractions.Configuration;

namespace Pipeline.Config.Tests.Fakes;

/// <summary>An exporter config with a string, a map and an enum.</summary>
internal sealed class FakeExporterConfig : IComponentConfig
{
    private static readonly string[] Compressions = ["gzip", "zstd", "none"];

    /// <summary>Default empty.</summary>
    public string Endpoint { get; set; } = string.Empty;

    /// <summary>Default gzip.</summary>
    public string Compression { get; set; } = "gzip";

    /// <summary>Default empty.</summary>
    public Dictionary<string, string> Headers { get; set; } = [];

    public void Bind(ConfigSection s)
    {
        Endpoint = s.GetString("endpoint", Endpoint);
        Compression = s.GetEnum("compression", Compression, Compressions);
        Headers = s.GetStringMap("headers", Headers);
        s.Finish();
    }

    public void Validate(ValidationErrors errors)
    {
    }
}
