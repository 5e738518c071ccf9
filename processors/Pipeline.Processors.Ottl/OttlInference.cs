namespace Pipeline.Processors.Ottl;

/// <summary>What a condition says about its own context, for callers with their own fallback rule (the routing
/// connector falls back to <c>resource</c> when a condition names no context, as otelcol does).</summary>
public static class OttlInference
{
    /// <summary>The deepest context a condition names through path prefixes, enum symbols or context-bound functions,
    /// or null when it names none.</summary>
    /// <exception cref="OttlParseException">The condition does not parse.</exception>
    public static OttlContext? NamedContext(string condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var mentioned = new List<(OttlContext Context, int Position)>();
        Compiler.CollectContexts(Parser.Parse(condition), null, mentioned);
        OttlContext? best = null;
        foreach (var (context, _) in mentioned)
        {
            if (best is null || OttlContexts.Depth(context) > OttlContexts.Depth(best.Value))
            {
                best = context;
            }
        }

        return best;
    }
}
