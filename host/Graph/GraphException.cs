namespace Pipeline.Host.Graph;

/// <summary>The pipelines cannot be built (unsupported signal, connector misuse, cycle, factory failure).</summary>
internal sealed class GraphException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GraphException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
