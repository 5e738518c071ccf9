namespace Pipeline.Telemetry;

/// <summary>The three OTLP signals a pipeline can carry.</summary>
public enum Signal
{
    /// <summary>Spans.</summary>
    Traces,

    /// <summary>Metric data points.</summary>
    Metrics,

    /// <summary>Log records.</summary>
    Logs,
}
