namespace Pipeline.Host.Cli;

/// <summary>What the command line asks for.</summary>
internal enum CliCommand
{
    /// <summary>Run the collector (the default).</summary>
    Run,

    /// <summary>Load and validate the config, start nothing.</summary>
    Validate,

    /// <summary>List the components of this build.</summary>
    Components,

    /// <summary>Print the version.</summary>
    Version,

    /// <summary>Print usage.</summary>
    Help,
}
