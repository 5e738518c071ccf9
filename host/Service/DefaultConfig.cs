using System.Reflection;

namespace Pipeline.Host.Service;

/// <summary>The embedded default config (host/default-config.yaml) run when no <c>--config</c> is given.</summary>
internal static class DefaultConfig
{
    /// <summary>Reads the embedded YAML.</summary>
    public static string Read()
    {
        using var stream = typeof(DefaultConfig).Assembly.GetManifestResourceStream("default-config.yaml")
            ?? throw new InvalidOperationException("The embedded default config is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
