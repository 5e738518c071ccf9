using Pipeline.Abstractions;
using Pipeline.Processors.Ottl;

namespace Pipeline.Connectors.Routing;

/// <summary>A validated table entry: its context, its compiled condition and the pipelines it sends to.</summary>
/// <param name="Context">The routing context.</param>
/// <param name="Condition">The OTTL condition (null for the request context).</param>
/// <param name="Request">The request condition (request context only).</param>
/// <param name="Text">The condition or statement as written.</param>
/// <param name="Pipelines">The target pipelines.</param>
internal sealed record CompiledRoute(RouteContext Context, OttlCondition? Condition, RequestCondition? Request, string Text, PipelineId[] Pipelines);
