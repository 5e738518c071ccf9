namespace Pipeline.Connectors.Routing;

/// <summary>How a condition that fails to evaluate is handled (<c>pkg/ottl</c> ErrorMode).</summary>
public enum RoutingErrorMode
{
    /// <summary>The batch is refused (nothing is routed) with a permanent error.</summary>
    Propagate,

    /// <summary>The condition counts as false (the item falls through to later routes or the default); logged.</summary>
    Ignore,

    /// <summary>As <see cref="Ignore"/>, without logging.</summary>
    Silent,
}
