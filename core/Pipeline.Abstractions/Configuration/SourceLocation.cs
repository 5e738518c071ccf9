namespace Pipeline.Abstractions.Configuration;

/// <summary>Where a config value was written.</summary>
/// <param name="File">The config file (or <c>--set</c>, or <c>default config</c>).</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
public sealed record SourceLocation(string File, int Line, int Column)
{
    /// <inheritdoc />
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}" : File;
}
