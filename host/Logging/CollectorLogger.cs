using Microsoft.Extensions.Logging;

namespace Pipeline.Host.Logging;

/// <summary>One category's logger; formatting and output belong to the provider.</summary>
internal sealed class CollectorLogger : ILogger
{
    private readonly CollectorLoggerProvider _provider;
    private readonly string _category;

    /// <summary>Creates the logger.</summary>
    public CollectorLogger(CollectorLoggerProvider provider, string category)
    {
        _provider = provider;
        _category = category;
    }

    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        _provider.Write(_category, logLevel, state, exception, formatter(state, exception));
    }
}
