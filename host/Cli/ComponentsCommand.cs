using System.Text;
using Pipeline.Abstractions;
using Pipeline.Config;
using Pipeline.Telemetry;

namespace Pipeline.Host.Cli;

/// <summary>The <c>components</c> command: the YAML otelcol prints, built by hand (no serializer needed).</summary>
internal static class ComponentsCommand
{
    private static readonly Signal[] Signals = [Signal.Logs, Signal.Metrics, Signal.Traces];

    /// <summary>Renders the build info and every registered factory.</summary>
    public static string Render(FactoryRegistry registry)
    {
        var text = new StringBuilder();
        text.Append("buildinfo:\n");
        text.Append("    command: ").Append(BuildInfo.Command).Append('\n');
        text.Append("    description: ").Append(BuildInfo.Description).Append('\n');
        text.Append("    version: ").Append(BuildInfo.Version).Append('\n');
        foreach (var kind in (ReadOnlySpan<ComponentKind>)[ComponentKind.Receiver, ComponentKind.Processor, ComponentKind.Exporter, ComponentKind.Connector, ComponentKind.Extension])
        {
            var factories = new List<IComponentFactory>();
            foreach (var factory in registry.All)
            {
                if (factory.Kind == kind)
                {
                    factories.Add(factory);
                }
            }

            factories.Sort(static (a, b) => string.CompareOrdinal(a.Type, b.Type));
            text.Append(kind.SectionName()).Append(':');
            if (factories.Count == 0)
            {
                text.Append(" []\n");
                continue;
            }

            text.Append('\n');
            foreach (var factory in factories)
            {
                text.Append("    - name: ").Append(factory.Type).Append('\n');
                text.Append("      stability:\n");
                AppendStability(text, factory);
            }
        }

        return text.ToString();
    }

    private static void AppendStability(StringBuilder text, IComponentFactory factory)
    {
        if (factory is IConnectorFactory connector)
        {
            var pairs = new List<string>();
            foreach (var (pair, level) in connector.ConnectorStability)
            {
                pairs.Add($"{pair.From.ToName()}-to-{pair.To.ToName()}: {Name(level)}");
            }

            pairs.Sort(StringComparer.Ordinal);
            foreach (var pair in pairs)
            {
                text.Append("        ").Append(pair).Append('\n');
            }

            return;
        }

        if (factory.Kind == ComponentKind.Extension)
        {
            var level = StabilityLevel.Undefined;
            foreach (var value in factory.Stability.Values)
            {
                level = value;
                break;
            }

            text.Append("        extension: ").Append(Name(level)).Append('\n');
            return;
        }

        foreach (var signal in Signals)
        {
            var level = factory.Stability.TryGetValue(signal, out var l) ? l : StabilityLevel.Undefined;
            text.Append("        ").Append(signal.ToName()).Append(": ").Append(Name(level)).Append('\n');
        }
    }

    private static string Name(StabilityLevel level) => level switch
    {
        StabilityLevel.Unmaintained => "Unmaintained",
        StabilityLevel.Deprecated => "Deprecated",
        StabilityLevel.Development => "Development",
        StabilityLevel.Alpha => "Alpha",
        StabilityLevel.Beta => "Beta",
        StabilityLevel.Stable => "Stable",
        _ => "Undefined",
    };
}
