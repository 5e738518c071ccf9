namespace Pipeline.Abstractions;

/// <summary>The five kinds of component a config names.</summary>
public enum ComponentKind
{
    /// <summary>Takes data in from outside.</summary>
    Receiver,

    /// <summary>Transforms data inside a pipeline.</summary>
    Processor,

    /// <summary>Sends data out.</summary>
    Exporter,

    /// <summary>An exporter of one pipeline that is a receiver of others.</summary>
    Connector,

    /// <summary>Adds capabilities to the collector outside pipelines (health, storage).</summary>
    Extension,
}

/// <summary>Names of component kinds as otelcol writes them.</summary>
public static class ComponentKindNames
{
    /// <summary>The config section of the kind: <c>receivers</c>, <c>processors</c>, ….</summary>
    public static string SectionName(this ComponentKind kind) => kind switch
    {
        ComponentKind.Receiver => "receivers",
        ComponentKind.Processor => "processors",
        ComponentKind.Exporter => "exporters",
        ComponentKind.Connector => "connectors",
        ComponentKind.Extension => "extensions",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The singular lower-case name: <c>receiver</c>, <c>processor</c>, ….</summary>
    public static string SingularName(this ComponentKind kind) => kind switch
    {
        ComponentKind.Receiver => "receiver",
        ComponentKind.Processor => "processor",
        ComponentKind.Exporter => "exporter",
        ComponentKind.Connector => "connector",
        ComponentKind.Extension => "extension",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
