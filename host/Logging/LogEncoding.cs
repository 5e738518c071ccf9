namespace Pipeline.Host.Logging;

/// <summary><c>service::telemetry::logs::encoding</c>.</summary>
internal enum LogEncoding
{
    /// <summary>Tab-separated human-readable lines (otelcol's default).</summary>
    Console,

    /// <summary>One JSON object per line.</summary>
    Json,
}
