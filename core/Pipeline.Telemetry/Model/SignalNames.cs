namespace Pipeline.Telemetry;

/// <summary>The lower-case names otelcol uses for signals in config and telemetry.</summary>
public static class SignalNames
{
    /// <summary>Returns <c>traces</c>, <c>metrics</c> or <c>logs</c>.</summary>
    public static string ToName(this Signal signal) => signal switch
    {
        Signal.Traces => "traces",
        Signal.Metrics => "metrics",
        Signal.Logs => "logs",
        _ => throw new ArgumentOutOfRangeException(nameof(signal)),
    };

    /// <summary>Parses a signal name as written in <c>service::pipelines</c>.</summary>
    public static bool TryParse(string name, out Signal signal)
    {
        switch (name)
        {
            case "traces": signal = Signal.Traces; return true;
            case "metrics": signal = Signal.Metrics; return true;
            case "logs": signal = Signal.Logs; return true;
            default: signal = default; return false;
        }
    }

    /// <summary>The name of one item of this signal in otelcol's metric names: spans, metric_points, log_records.</summary>
    public static string ItemName(this Signal signal) => signal switch
    {
        Signal.Traces => "spans",
        Signal.Metrics => "metric_points",
        Signal.Logs => "log_records",
        _ => throw new ArgumentOutOfRangeException(nameof(signal)),
    };
}
