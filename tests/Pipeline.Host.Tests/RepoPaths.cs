namespace Pipeline.Host.Tests;

/// <summary>Finds the repository root (the folder holding Pipeline.sln) and the built host.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The host's pipeline.dll, copied next to the tests by the project reference.</summary>
    public static string HostDll { get; } = Path.Combine(AppContext.BaseDirectory, "pipeline.dll");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Pipeline.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Pipeline.sln not found above " + AppContext.BaseDirectory);
    }
}
