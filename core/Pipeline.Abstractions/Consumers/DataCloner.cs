using Pipeline.Telemetry;

namespace Pipeline.Abstractions;

/// <summary>Clones a batch of any signal through its typed <c>Clone()</c>.</summary>
public static class DataCloner
{
    /// <summary>An independent, mutable copy of <paramref name="data"/>.</summary>
    public static T Clone<T>(T data)
        where T : TelemetryData => data switch
        {
            Traces traces => (T)(TelemetryData)traces.Clone(),
            Metrics metrics => (T)(TelemetryData)metrics.Clone(),
            Logs logs => (T)(TelemetryData)logs.Clone(),
            _ => throw new NotSupportedException($"Cannot clone {data.GetType().Name}."),
        };
}
