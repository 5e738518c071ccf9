namespace Pipeline.Abstractions.Configuration;

/// <summary>One config problem: the full key path (<c>receivers::otlp::protocols</c>), the message and the place.</summary>
/// <param name="Path">Key path joined with <c>::</c>; empty for the whole file.</param>
/// <param name="Message">One sentence naming the value and what is allowed.</param>
/// <param name="Location">Where it was written, when known.</param>
public sealed record ConfigError(string Path, string Message, SourceLocation? Location)
{
    /// <inheritdoc />
    public override string ToString()
    {
        string text = Path.Length == 0 ? Message : Path + ": " + Message;
        return Location is null ? text : $"{text} ({Location})";
    }
}
