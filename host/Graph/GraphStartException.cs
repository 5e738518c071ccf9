namespace Pipeline.Host.Graph;

/// <summary>A component failed to start; the message is otelcol's <c>failed to start "otlp" receiver: ...</c>.</summary>
internal sealed class GraphStartException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GraphStartException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
