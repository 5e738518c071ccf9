using System.Xml.Linq;

namespace Pipeline.Host.Tests;

/// <summary>
/// The dependency rules: Telemetry depends on no project; Abstractions only on Telemetry; Config only on Abstractions;
/// every component only on Abstractions/Telemetry (exporters may also use the exporter helper, processors the shared
/// processor library and OTTL, connectors OTTL), never on the host,
/// the config project or another component.
/// </summary>
public sealed class ArchitectureTests
{
    private const string Telemetry = "core/Pipeline.Telemetry/Pipeline.Telemetry.csproj";
    private const string Abstractions = "core/Pipeline.Abstractions/Pipeline.Abstractions.csproj";
    private const string Config = "config/Pipeline.Config/Pipeline.Config.csproj";
    private const string ExporterHelper = "exporters/Pipeline.Exporters.Helper/Pipeline.Exporters.Helper.csproj";
    private const string ProcessorCommon = "processors/Pipeline.Processors.Common/Pipeline.Processors.Common.csproj";

    // The OTTL condition language: a library shared by filter (and later routing and tail_sampling), not a component.
    private const string ProcessorOttl = "processors/Pipeline.Processors.Ottl/Pipeline.Processors.Ottl.csproj";

    public static TheoryData<string> Projects()
    {
        var data = new TheoryData<string>();
        foreach (var project in ProjectPaths())
        {
            data.Add(project);
        }

        return data;
    }

    private static List<string> ProjectPaths()
    {
        var data = new List<string>();
        foreach (var folder in (string[])["core", "config", "receivers", "processors", "exporters", "connectors", "extensions"])
        {
            string path = Path.Combine(RepoPaths.Root, folder);
            if (!Directory.Exists(path))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(path, "*.csproj", SearchOption.AllDirectories))
            {
                data.Add(Path.GetRelativePath(RepoPaths.Root, file).Replace('\\', '/'));
            }
        }

        return data;
    }

    [Fact]
    public void Projects_FoundUnderEveryLayer()
    {
        var projects = ProjectPaths();

        Assert.Contains(Telemetry, projects);
        Assert.Contains(Abstractions, projects);
        Assert.Contains(Config, projects);
        Assert.Contains(projects, p => p.StartsWith("receivers/", StringComparison.Ordinal));
        Assert.Contains(projects, p => p.StartsWith("processors/", StringComparison.Ordinal));
        Assert.Contains(projects, p => p.StartsWith("exporters/", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void ProjectReferences_FollowTheLayering(string project)
    {
        var allowed = AllowedReferences(project);

        var references = ReferencesOf(project);

        var forbidden = references.Where(r => !allowed.Contains(r)).ToList();
        Assert.True(forbidden.Count == 0, $"{project} must not reference {string.Join(", ", forbidden)} (allowed: {string.Join(", ", allowed)}).");
    }

    [Fact]
    public void ProjectReferences_OfAComponentOnAnotherComponent_AreRejected()
    {
        string project = "exporters/Pipeline.Exporters.Debug/Pipeline.Exporters.Debug.csproj";

        var allowed = AllowedReferences(project);

        Assert.DoesNotContain("exporters/Pipeline.Exporters.File/Pipeline.Exporters.File.csproj", allowed);
        Assert.DoesNotContain("receivers/Pipeline.Receivers.Otlp/Pipeline.Receivers.Otlp.csproj", allowed);
        Assert.DoesNotContain(Config, allowed);
        Assert.DoesNotContain("host/Pipeline.Host.csproj", allowed);
    }

    private static HashSet<string> AllowedReferences(string project)
    {
        if (project == Telemetry)
        {
            return [];
        }

        if (project == Abstractions)
        {
            return [Telemetry];
        }

        if (project == Config)
        {
            return [Abstractions];
        }

        if (project == ExporterHelper || project == ProcessorCommon)
        {
            return [Abstractions, Telemetry];
        }

        if (project.StartsWith("exporters/", StringComparison.Ordinal))
        {
            return [Abstractions, Telemetry, ExporterHelper];
        }

        if (project == ProcessorOttl)
        {
            return [Abstractions, Telemetry, ProcessorCommon];
        }

        if (project.StartsWith("processors/", StringComparison.Ordinal))
        {
            return [Abstractions, Telemetry, ProcessorCommon, ProcessorOttl];
        }

        // The routing connector evaluates OTTL conditions as the filter processor does; the OTTL library is a shared
        // language library (not a component), so connectors may use it. Nothing else under processors/.
        if (project.StartsWith("connectors/", StringComparison.Ordinal))
        {
            return [Abstractions, Telemetry, ProcessorOttl];
        }

        return [Abstractions, Telemetry];
    }

    private static List<string> ReferencesOf(string project)
    {
        string full = Path.Combine(RepoPaths.Root, project);
        string dir = Path.GetDirectoryName(full)!;
        var doc = XDocument.Load(full);
        var result = new List<string>();
        foreach (var element in doc.Descendants().Where(e => e.Name.LocalName == "ProjectReference"))
        {
            string include = ((string?)element.Attribute("Include") ?? string.Empty).Replace('\\', '/');
            string resolved = Path.GetFullPath(Path.Combine(dir, include));
            result.Add(Path.GetRelativePath(RepoPaths.Root, resolved).Replace('\\', '/'));
        }

        return result;
    }
}
