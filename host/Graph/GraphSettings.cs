using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Pipeline.Host.Graph;

/// <summary>What the graph hands every component it creates.</summary>
internal sealed class GraphSettings
{
    /// <summary>Creates per-component loggers (category <c>receivers::otlp</c>).</summary>
    public required ILoggerFactory LoggerFactory { get; init; }

    /// <summary>The one self-metrics meter shared by every component.</summary>
    public required Meter Meter { get; init; }

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The collector's version.</summary>
    public string BuildVersion { get; init; } = BuildInfo.Version;
}
