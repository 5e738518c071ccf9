namespace Pipeline.Abstractions;

/// <summary>
/// Optionally implemented by the <see cref="IComponentHost"/>: the network endpoints the collector's own components
/// listen on and send to, as configured. A component that observes the host's traffic (the <c>ebpf</c> receiver) uses
/// them to leave the collector's own traffic out. Check with <c>host is ICollectorEndpoints</c>.
/// </summary>
public interface ICollectorEndpoints
{
    /// <summary>Where receivers and extensions listen (<c>host:port</c>, as configured).</summary>
    IReadOnlyList<string> ListenEndpoints { get; }

    /// <summary>Where exporters send (URLs or <c>host:port</c>, as configured).</summary>
    IReadOnlyList<string> DestinationEndpoints { get; }
}
