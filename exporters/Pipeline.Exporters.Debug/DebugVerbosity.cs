namespace Pipeline.Exporters.Debug;

/// <summary>How much the debug exporter prints.</summary>
internal enum DebugVerbosity
{
    /// <summary>One summary line per batch with counts.</summary>
    Basic,

    /// <summary>The summary, then one line per span, data point or log record.</summary>
    Normal,

    /// <summary>The summary, then every field of every item.</summary>
    Detailed,
}
