using System.Diagnostics.CodeAnalysis;

namespace Pipeline.Host.Cli;

/// <summary>
/// The parsed command line, with otelcol's flags: repeatable <c>--config</c> and <c>--set</c> (both also as
/// <c>--flag=value</c>), <c>--feature-gates</c>, <c>--version</c>, <c>--help</c>, and the <c>validate</c> and
/// <c>components</c> sub-commands.
/// </summary>
internal sealed class CommandLine
{
    /// <summary>The command to run.</summary>
    public CliCommand Command { get; private set; } = CliCommand.Run;

    /// <summary>The <c>--config</c> values in order.</summary>
    public List<string> Configs { get; } = [];

    /// <summary>The <c>--set</c> values in order (<c>a.b.c=v</c>).</summary>
    public List<string> Sets { get; } = [];

    /// <summary>The <c>--feature-gates</c> values (accepted; no gates exist yet).</summary>
    public List<string> FeatureGates { get; } = [];

    /// <summary>Parses <paramref name="args"/>; on failure <paramref name="error"/> is the message to print.</summary>
    public static bool TryParse(IReadOnlyList<string> args, [NotNullWhen(true)] out CommandLine? result, [NotNullWhen(false)] out string? error)
    {
        var line = new CommandLine();
        result = null;
        bool commandSeen = false;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg is "--version" or "-v")
            {
                line.Command = CliCommand.Version;
                continue;
            }

            if (arg is "--help" or "-h" || (arg == "help" && !commandSeen))
            {
                line.Command = CliCommand.Help;
                continue;
            }

            if (arg.StartsWith('-'))
            {
                string name = arg.TrimStart('-');
                string? value = null;
                int eq = name.IndexOf('=', StringComparison.Ordinal);
                if (eq >= 0)
                {
                    value = name[(eq + 1)..];
                    name = name[..eq];
                }

                List<string>? target = name switch
                {
                    "config" or "c" => line.Configs,
                    "set" => line.Sets,
                    "feature-gates" => line.FeatureGates,
                    _ => null,
                };
                if (target is null)
                {
                    error = $"unknown flag: {(eq >= 0 ? arg[..(arg.IndexOf('=', StringComparison.Ordinal))] : arg)}";
                    return false;
                }

                if (value is null)
                {
                    if (i + 1 >= args.Count)
                    {
                        error = $"flag needs an argument: --{name}";
                        return false;
                    }

                    value = args[++i];
                }

                if (target == line.Sets && !value.Contains('=', StringComparison.Ordinal))
                {
                    error = $"invalid value \"{value}\" for flag -set: missing equal sign";
                    return false;
                }

                target.Add(value);
                continue;
            }

            if (commandSeen)
            {
                error = $"unknown command \"{arg}\" for \"{BuildInfo.Command}\"";
                return false;
            }

            commandSeen = true;
            switch (arg)
            {
                case "validate":
                    line.Command = line.Command == CliCommand.Run ? CliCommand.Validate : line.Command;
                    break;
                case "components":
                    line.Command = line.Command == CliCommand.Run ? CliCommand.Components : line.Command;
                    break;
                default:
                    error = $"unknown command \"{arg}\" for \"{BuildInfo.Command}\"";
                    return false;
            }
        }

        result = line;
        error = null;
        return true;
    }
}
