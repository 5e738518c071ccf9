namespace Pipeline.Abstractions;

/// <summary>An extension: a component outside the pipelines, started before them and stopped after.</summary>
public interface IExtension : IComponent
{
}
