using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Abstractions;

namespace Pipeline.Testing;

/// <summary>Component settings for tests.</summary>
public static class TestSettings
{
    /// <summary>Settings for a component with this kind and id, logging nowhere unless a factory is given.</summary>
    public static ComponentSettings For(ComponentKind kind, string id, ILoggerFactory? loggers = null, TimeProvider? time = null)
    {
        if (!ComponentId.TryParse(id, out var cid, out var error))
        {
            throw new ArgumentException(error, nameof(id));
        }

        loggers ??= NullLoggerFactory.Instance;
        return new ComponentSettings
        {
            Id = cid,
            Kind = kind,
            Logger = loggers.CreateLogger(ComponentSettings.Category(kind, cid)),
            LoggerFactory = loggers,
            Meter = new Meter("Pipeline.Tests." + id),
            TimeProvider = time ?? TimeProvider.System,
        };
    }
}
