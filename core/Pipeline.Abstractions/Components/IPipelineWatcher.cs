namespace Pipeline.Abstractions;

/// <summary>
/// Implemented by extensions that report whether the collector is ready (otelcol's extension.PipelineWatcher):
/// the host calls <see cref="Ready"/> once every pipeline has started and <see cref="NotReady"/> when shutdown begins.
/// </summary>
public interface IPipelineWatcher
{
    /// <summary>All pipelines are running.</summary>
    void Ready();

    /// <summary>The pipelines are stopping (or failed to start).</summary>
    void NotReady();
}
