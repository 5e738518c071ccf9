using Microsoft.Extensions.Logging;

namespace Pipeline.Config;

/// <content>The messages the loader logs, with otelcol's wording.</content>
public static partial class ConfigLoader
{
    /// <summary>Log messages; event IDs are in <see cref="ConfigEventIds"/>.</summary>
    internal static partial class Log
    {
        [LoggerMessage(EventId = ConfigEventIds.UnsetEnvironmentVariable, Level = LogLevel.Warning, Message = "Configuration references unset environment variable \"{Name}\".")]
        public static partial void UnsetEnvironmentVariable(ILogger logger, string name);

        [LoggerMessage(EventId = ConfigEventIds.EmptyEnvironmentVariable, Level = LogLevel.Information, Message = "Configuration references empty environment variable \"{Name}\".")]
        public static partial void EmptyEnvironmentVariable(ILogger logger, string name);

        [LoggerMessage(EventId = ConfigEventIds.DeprecatedAlias, Level = LogLevel.Warning, Message = "\"{Alias}\" alias is deprecated; use \"{Type}\" instead")]
        public static partial void DeprecatedAlias(ILogger logger, string alias, string type);
    }
}
