namespace Pipeline.Connectors.Routing;

/// <summary>What a route's condition is evaluated against, and so what it moves.</summary>
internal enum RouteContext
{
    /// <summary>Client metadata of the request: the whole batch (what is left of it) moves.</summary>
    Request,

    /// <summary>A resource with everything under it moves.</summary>
    Resource,

    /// <summary>Single spans move (with copies of their resource and scope).</summary>
    Span,

    /// <summary>Whole metrics move.</summary>
    Metric,

    /// <summary>Single data points move (with a copy of their metric's descriptor).</summary>
    DataPoint,

    /// <summary>Single log records move.</summary>
    Log,
}
