using System.Diagnostics.CodeAnalysis;
using Pipeline.Telemetry;

namespace Pipeline.Abstractions;

/// <summary>A pipeline ID, <c>signal[/name]</c>.</summary>
/// <param name="Signal">The signal the pipeline carries.</param>
/// <param name="Name">The name after the first <c>/</c>, or empty.</param>
public readonly record struct PipelineId(Signal Signal, string Name)
{
    /// <inheritdoc />
    public override string ToString() => Name.Length == 0 ? Signal.ToName() : Signal.ToName() + "/" + Name;

    /// <summary>Parses <c>signal[/name]</c>; on failure <paramref name="error"/> is otelcol's message.</summary>
    public static bool TryParse(string text, out PipelineId id, [NotNullWhen(false)] out string? error)
    {
        id = default;
        if (!ComponentId.TryParse(text, out var raw, out error))
        {
            return false;
        }

        if (raw.Type == "profiles")
        {
            error = "pipeline \"profiles\": profiling signal support is not available in Pipeline";
            return false;
        }

        if (!SignalNames.TryParse(raw.Type, out var signal))
        {
            error = $"unknown pipeline signal: \"{raw.Type}\"";
            return false;
        }

        id = new PipelineId(signal, raw.Name);
        return true;
    }
}
