using Microsoft.Extensions.Logging;
using Pipeline.Abstractions;
using Pipeline.Telemetry;

namespace Pipeline.Exporters.Debug;

/// <summary>
/// Prints batches: a summary line with counts, then (normal) one line per item or (detailed) every field. Through the
/// collector's logger by default, else to <c>output_paths</c>. Sampled per second like otelcol's zap sampler.
/// </summary>
/// <typeparam name="T">The signal's batch type.</typeparam>
internal sealed partial class DebugExporter<T> : IExporter<T>
    where T : TelemetryData
{
    private readonly ILogger _logger;
    private readonly DebugExporterConfig _config;
    private readonly DebugSampler _sampler;
    private readonly Lock _gate = new();
    private List<TextWriter>? _outputs;

    /// <summary>Creates the exporter.</summary>
    public DebugExporter(ComponentSettings settings, DebugExporterConfig config)
    {
        _logger = settings.Logger;
        _config = config;
        _sampler = new DebugSampler(config.SamplingInitial, config.SamplingThereafter, settings.TimeProvider);
    }

    /// <inheritdoc />
    public ConsumerCapabilities Capabilities => ConsumerCapabilities.ReadOnly;

    /// <inheritdoc />
    public Task StartAsync(IComponentHost host, CancellationToken cancellationToken)
    {
        if (!_config.UseInternalLogger)
        {
            var outputs = new List<TextWriter>();
            foreach (var path in _config.OutputPaths)
            {
                outputs.Add(path switch
                {
                    "stdout" => Console.Out,
                    "stderr" => Console.Error,
                    _ => new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true },
                });
            }

            _outputs = outputs;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask ConsumeAsync(T data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!_sampler.Allow())
        {
            return ValueTask.CompletedTask;
        }

        string summary = DebugText.Summary(data);
        string? dump = _config.Verbosity switch
        {
            DebugVerbosity.Normal => DebugText.Normal(data),
            DebugVerbosity.Detailed => DebugText.Detailed(data),
            _ => null,
        };

        if (_outputs is null)
        {
            Log.Summary(_logger, summary);
            if (!string.IsNullOrEmpty(dump))
            {
                Log.Dump(_logger, dump);
            }

            return ValueTask.CompletedTask;
        }

        lock (_gate)
        {
            foreach (var output in _outputs)
            {
                output.Write(summary + "\n");
                if (!string.IsNullOrEmpty(dump))
                {
                    output.Write(dump);
                }

                output.Flush();
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public Task ShutdownAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_outputs is not null)
            {
                foreach (var output in _outputs)
                {
                    if (output is StreamWriter file)
                    {
                        file.Dispose();
                    }
                }

                _outputs = null;
            }
        }

        return Task.CompletedTask;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Summary}")]
        public static partial void Summary(ILogger logger, string summary);

        [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "{Dump}")]
        public static partial void Dump(ILogger logger, string dump);
    }
}
