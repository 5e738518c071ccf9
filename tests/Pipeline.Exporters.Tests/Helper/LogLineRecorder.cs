using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Pipeline.Exporters.Tests.Helper;

/// <summary>A logger factory that keeps every formatted line, for asserting otelcol's log texts.</summary>
internal sealed class LogLineRecorder : ILoggerFactory, ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message)> _lines = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Lines => [.. _lines];

    public List<string> At(LogLevel level)
    {
        var result = new List<string>();
        foreach (var line in _lines)
        {
            if (line.Level == level)
            {
                result.Add(line.Message);
            }
        }

        return result;
    }

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(LogLineRecorder owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._lines.Enqueue((logLevel, formatter(state, exception)));
    }
}
