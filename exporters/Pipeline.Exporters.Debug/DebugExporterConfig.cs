using Pipeline.Abstractions.Configuration;

namespace Pipeline.Exporters.Debug;

/// <summary>The <c>debug</c> exporter's settings (otelcol's debugexporter).</summary>
internal sealed class DebugExporterConfig : IComponentConfig
{
    private static readonly string[] VerbosityNames = ["basic", "normal", "detailed"];

    /// <summary><c>verbosity</c>: basic, normal or detailed. Default basic.</summary>
    public DebugVerbosity Verbosity { get; set; } = DebugVerbosity.Basic;

    /// <summary><c>sampling_initial</c>: batches printed each second before sampling starts. Default 2.</summary>
    public int SamplingInitial { get; set; } = 2;

    /// <summary><c>sampling_thereafter</c>: after the initial ones, every Nth batch of the second is printed. Default 1 (all).</summary>
    public int SamplingThereafter { get; set; } = 1;

    /// <summary><c>use_internal_logger</c>: print through the collector's own logger. Default true.</summary>
    public bool UseInternalLogger { get; set; } = true;

    /// <summary><c>output_paths</c>: where to print when <see cref="UseInternalLogger"/> is false (stdout, stderr or a file). Default [stdout].</summary>
    public List<string> OutputPaths { get; set; } = ["stdout"];

    /// <summary>Whether the user wrote <c>output_paths</c> (only allowed without the internal logger).</summary>
    public bool OutputPathsSet { get; private set; }

    /// <inheritdoc />
    public void Bind(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        string verbosity = section.GetEnum("verbosity", VerbosityNames[(int)Verbosity], VerbosityNames);
        Verbosity = (DebugVerbosity)Array.IndexOf(VerbosityNames, verbosity);
        SamplingInitial = section.GetInt32("sampling_initial", SamplingInitial, min: 0);
        SamplingThereafter = section.GetInt32("sampling_thereafter", SamplingThereafter, min: 0);
        UseInternalLogger = section.GetBool("use_internal_logger", UseInternalLogger);
        OutputPathsSet = section.Has("output_paths");
        OutputPaths = section.GetStringList("output_paths", OutputPaths);
        section.Finish();
    }

    /// <inheritdoc />
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (UseInternalLogger && OutputPathsSet)
        {
            errors.Add("output_paths", "output_paths is only supported when use_internal_logger is false.");
        }

        if (!UseInternalLogger && OutputPaths.Count == 0)
        {
            errors.Add("output_paths", "at least one output path is required when use_internal_logger is false.");
        }
    }
}
