namespace Pipeline.Exporters.Helper;

/// <summary>What <c>queue_size</c> (and batch sizes) are measured in.</summary>
public enum QueueSizer
{
    /// <summary>Each request counts 1.</summary>
    Requests,

    /// <summary>Spans, data points or log records.</summary>
    Items,

    /// <summary>Encoded OTLP bytes.</summary>
    Bytes,
}

/// <summary>Names of <see cref="QueueSizer"/> values as written in config.</summary>
public static class QueueSizerNames
{
    /// <summary>The words accepted for <c>sizer</c>.</summary>
    public static IReadOnlyList<string> All { get; } = ["requests", "items", "bytes"];

    /// <summary>Parses a config word (already checked against <see cref="All"/>).</summary>
    public static QueueSizer Parse(string name) => name switch
    {
        "items" => QueueSizer.Items,
        "bytes" => QueueSizer.Bytes,
        _ => QueueSizer.Requests,
    };

    /// <summary>The config word of a sizer.</summary>
    public static string ToName(this QueueSizer sizer) => sizer switch
    {
        QueueSizer.Items => "items",
        QueueSizer.Bytes => "bytes",
        _ => "requests",
    };
}
