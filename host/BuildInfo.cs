namespace Pipeline.Host;

/// <summary>What <c>--version</c> and <c>components</c> print.</summary>
internal static class BuildInfo
{
    /// <summary>The executable's name.</summary>
    public const string Command = "pipeline";

    /// <summary>One line describing the distribution.</summary>
    public const string Description = "Pipeline, an OpenTelemetry Collector-compatible telemetry pipeline";

    /// <summary>The version.</summary>
    public const string Version = "0.1.0";
}
