namespace Pipeline.Abstractions;

/// <summary>Lifecycle of every component. Shutdown must work even when Start never ran.</summary>
public interface IComponent
{
    /// <summary>Starts the component (binds ports, starts workers). Throws to fail collector start.</summary>
    Task StartAsync(IComponentHost host, CancellationToken cancellationToken);

    /// <summary>Stops the component, draining what it holds; the token bounds how long draining may take.</summary>
    Task ShutdownAsync(CancellationToken cancellationToken);
}
