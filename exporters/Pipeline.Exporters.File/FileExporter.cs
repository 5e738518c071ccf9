using Pipeline.Abstractions;
using Pipeline.Telemetry;

namespace Pipeline.Exporters.File;

/// <summary>The <c>file</c> exporter for one signal; the file itself is shared with the other signals' instances.</summary>
/// <typeparam name="T">The signal's batch type.</typeparam>
internal sealed class FileExporter<T> : IExporter<T>
    where T : TelemetryData
{
    private readonly ComponentSettings _settings;
    private readonly FileExporterConfig _config;
    private readonly ExporterObsReport _obs;
    private FileWriter? _writer;

    public FileExporter(ComponentSettings settings, FileExporterConfig config, Signal signal)
    {
        _settings = settings;
        _config = config;
        _obs = new ExporterObsReport(settings, signal);
    }

    /// <inheritdoc />
    public ConsumerCapabilities Capabilities => ConsumerCapabilities.ReadOnly;

    /// <inheritdoc />
    public Task StartAsync(IComponentHost host, CancellationToken cancellationToken)
    {
        _writer ??= FileWriterRegistry.Acquire(_config, _settings.TimeProvider, _settings.Logger);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask ConsumeAsync(T data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        var writer = _writer ?? throw new InvalidOperationException($"{_settings.Id} was not started.");
        try
        {
            writer.Write(data);
        }
        catch
        {
            _obs.SendFailed(data.ItemCount);
            throw;
        }

        _obs.Sent(data.ItemCount);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public Task ShutdownAsync(CancellationToken cancellationToken)
    {
        var writer = Interlocked.Exchange(ref _writer, null);
        if (writer is not null)
        {
            FileWriterRegistry.Release(writer);
        }

        return Task.CompletedTask;
    }
}
