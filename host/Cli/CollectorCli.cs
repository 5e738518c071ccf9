using Microsoft.Extensions.Logging;
using Pipeline.Config;
using Pipeline.Host.Logging;
using Pipeline.Host.Service;

namespace Pipeline.Host.Cli;

/// <summary>The command-line entry: parses arguments and runs the command. Every error is <c>Error: msg</c> on stderr, exit 1.</summary>
internal static class CollectorCli
{
    private const string Usage = """
        pipeline: an OpenTelemetry Collector-compatible telemetry pipeline.

        Usage:
          pipeline [flags]
          pipeline [command]

        Available Commands:
          components  Outputs available components in this collector distribution
          validate    Validates the config without running the collector

        Flags:
              --config stringArray      Locations to the config file(s), note that only a single location can be set per flag entry e.g. --config=file:/path/to/first --config=file:path/to/second. Without --config the embedded default config runs.
              --feature-gates string    Comma-delimited list of feature gate identifiers. Prefix with '-' to disable the feature. '+' or no prefix will enable the feature.
          -h, --help                    help for pipeline
              --set stringArray         Set arbitrary component config property. The component has to be defined in the config file and the flag has a higher precedence. Array config properties are overridden and maps are joined. Example --set=processors::batch::timeout=2s
          -v, --version                 version for pipeline

        """;

    /// <summary>Runs the command line; returns the process exit code.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken stop = default)
    {
        if (!CommandLine.TryParse(args, out var line, out string? parseError))
        {
            await stderr.WriteLineAsync("Error: " + parseError).ConfigureAwait(false);
            return 1;
        }

        switch (line.Command)
        {
            case CliCommand.Version:
                await stdout.WriteLineAsync($"{BuildInfo.Command} version {BuildInfo.Version}").ConfigureAwait(false);
                return 0;
            case CliCommand.Help:
                await stdout.WriteAsync(Usage).ConfigureAwait(false);
                return 0;
            case CliCommand.Components:
                await stdout.WriteAsync(ComponentsCommand.Render(Components.Create())).ConfigureAwait(false);
                return 0;
            case CliCommand.Validate:
                if (line.Configs.Count == 0)
                {
                    await stderr.WriteLineAsync("Error: at least one config flag must be provided").ConfigureAwait(false);
                    return 1;
                }

                using (var bootstrap = CollectorLoggerProvider.CreateFactory(stderr, LogEncoding.Console, LogLevel.Information))
                {
                    return TryLoad(line, Components.Create(), bootstrap, stderr, out _) ? 0 : 1;
                }

            default:
                return await RunCollectorAsync(line, stderr, stop).ConfigureAwait(false);
        }
    }

    private static async Task<int> RunCollectorAsync(CommandLine line, TextWriter stderr, CancellationToken stop)
    {
        var registry = Components.Create();
        CollectorConfig? config;
        using (var bootstrap = CollectorLoggerProvider.CreateFactory(stderr, LogEncoding.Console, LogLevel.Information))
        {
            if (!TryLoad(line, registry, bootstrap, stderr, out config))
            {
                return 1;
            }
        }

        var telemetry = config.Service.Telemetry;
        CollectorLoggerProvider.TryParseLevel(telemetry.LogLevel, out var level);
        var encoding = string.Equals(telemetry.LogEncoding, "json", StringComparison.OrdinalIgnoreCase) ? LogEncoding.Json : LogEncoding.Console;
        using var loggers = CollectorLoggerProvider.CreateFactory(stderr, encoding, level);
        using var signals = new ShutdownSignals(stop);
        var service = new CollectorService(config, loggers, stderr);
        return await service.RunAsync(signals.Token).ConfigureAwait(false);
    }

    private static bool TryLoad(CommandLine line, FactoryRegistry registry, ILoggerFactory loggers, TextWriter stderr, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CollectorConfig? config)
    {
        var logger = loggers.CreateLogger("service");
        try
        {
            config = line.Configs.Count == 0
                ? ConfigLoader.LoadYaml(DefaultConfig.Read(), "default config", registry, Environment.GetEnvironmentVariable, logger)
                : ConfigLoader.Load(line.Configs, line.Sets, registry, Environment.GetEnvironmentVariable, logger);
            return true;
        }
        catch (ConfigException e)
        {
            foreach (var error in e.Errors)
            {
                stderr.WriteLine("Error: " + error);
            }
        }
        catch (Exception e)
        {
            // Whatever goes wrong while loading is a config error to the user: one line, no stack trace.
            stderr.WriteLine("Error: " + e.Message);
        }

        config = null;
        return false;
    }
}
