using Pipeline.Abstractions;

namespace Pipeline.Host.Graph;

/// <summary>One built component instance, as the lifecycle sees it.</summary>
/// <param name="Kind">Its kind.</param>
/// <param name="Id">Its configured ID.</param>
/// <param name="Component">The instance (a receiver shared by several signals appears once).</param>
/// <param name="Description">How start errors and logs name it, e.g. <c>processor "batch" in pipeline "traces"</c>.</param>
internal sealed record GraphComponent(ComponentKind Kind, ComponentId Id, IComponent Component, string Description);
