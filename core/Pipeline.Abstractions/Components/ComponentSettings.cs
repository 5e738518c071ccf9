using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Pipeline.Abstractions;

/// <summary>What the host passes to a factory when it creates a component.</summary>
public sealed class ComponentSettings
{
    /// <summary>The component's ID as configured.</summary>
    public required ComponentId Id { get; init; }

    /// <summary>The component's kind.</summary>
    public required ComponentKind Kind { get; init; }

    /// <summary>Logger whose category names the component, e.g. <c>receivers::otlp/in</c>.</summary>
    public required ILogger Logger { get; init; }

    /// <summary>For components that create more loggers.</summary>
    public required ILoggerFactory LoggerFactory { get; init; }

    /// <summary>The clock; tests inject a fake one.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Meter for the collector's own metrics (otelcol_* names).</summary>
    public required Meter Meter { get; init; }

    /// <summary>The pipeline this instance serves (processors) or null.</summary>
    public PipelineId? Pipeline { get; init; }

    /// <summary>
    /// True for a processor whose pipeline reaches an <see cref="IPersistingConsumer"/> that persists (a persistent
    /// sending queue), directly or through connectors. A processor that holds data (batch) should then complete a
    /// caller's ConsumeAsync only once that data was handed on, so what a client sees acknowledged survives a crash.
    /// </summary>
    public bool DurableDownstream { get; init; }

    /// <summary>The collector's version, for user agents and <c>telemetry.sdk.version</c>.</summary>
    public string BuildVersion { get; init; } = "0.0.0";

    /// <summary>The log category for a component: <c>receivers::otlp/in</c>.</summary>
    public static string Category(ComponentKind kind, ComponentId id) => kind.SectionName() + "::" + id;
}
