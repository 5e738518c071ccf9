namespace Pipeline.Connectors.Routing;

/// <summary>One entry of the routing <c>table</c>.</summary>
public sealed class RouteConfig
{
    /// <summary><c>context</c>: <c>resource</c>, <c>span</c>, <c>metric</c>, <c>datapoint</c>, <c>log</c> or <c>request</c>.
    /// Default empty: inferred from the path prefixes the condition uses, else <c>resource</c>.</summary>
    public string Context { get; set; } = string.Empty;

    /// <summary><c>condition</c>: an OTTL condition. One of this and <see cref="Statement"/> is required.</summary>
    public string Condition { get; set; } = string.Empty;

    /// <summary><c>statement</c>: <c>route() where &lt;condition&gt;</c>. Not allowed in the <c>request</c> context.</summary>
    public string Statement { get; set; } = string.Empty;

    /// <summary><c>pipelines</c>: the pipelines that get what the route matches. Required.</summary>
    public List<string> Pipelines { get; set; } = [];
}
