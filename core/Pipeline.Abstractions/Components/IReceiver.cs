namespace Pipeline.Abstractions;

/// <summary>A receiver: takes data from outside and pushes it to its next consumer.</summary>
public interface IReceiver : IComponent
{
}
