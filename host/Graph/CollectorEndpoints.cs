using Pipeline.Abstractions;
using Pipeline.Config;
using Pipeline.Exporters.OtlpGrpc;
using Pipeline.Exporters.OtlpHttp;
using Pipeline.Extensions.HealthCheck;
using Pipeline.Receivers.Otlp.Config;

namespace Pipeline.Host.Graph;

/// <summary>The network endpoints of the configured components (those the graph builds and those it does not: a
/// configured receiver may still be bound by a later reload, and excluding its port costs nothing).</summary>
internal sealed class CollectorEndpoints : ICollectorEndpoints
{
    public static readonly CollectorEndpoints None = new([], []);

    private CollectorEndpoints(List<string> listen, List<string> destinations)
    {
        ListenEndpoints = listen;
        DestinationEndpoints = destinations;
    }

    public IReadOnlyList<string> ListenEndpoints { get; }

    public IReadOnlyList<string> DestinationEndpoints { get; }

    /// <summary>Reads the endpoints from the bound configs of the components that have them.</summary>
    public static CollectorEndpoints From(CollectorConfig config)
    {
        var listen = new List<string>();
        var destinations = new List<string>();
        foreach (var entry in config.Receivers.Values)
        {
            if (entry.Config is OtlpReceiverConfig otlp)
            {
                AddIfSet(listen, otlp.Grpc?.Endpoint);
                AddIfSet(listen, otlp.Http?.Endpoint);
            }
        }

        foreach (var entry in config.Extensions.Values)
        {
            if (entry.Config is HealthCheckConfig health)
            {
                AddIfSet(listen, health.Endpoint);
            }
        }

        foreach (var entry in config.Exporters.Values)
        {
            switch (entry.Config)
            {
                case OtlpGrpcConfig grpc:
                    AddIfSet(destinations, grpc.Endpoint);
                    break;
                case OtlpHttpConfig http:
                    AddIfSet(destinations, http.Endpoint);
                    AddIfSet(destinations, http.TracesEndpoint);
                    AddIfSet(destinations, http.MetricsEndpoint);
                    AddIfSet(destinations, http.LogsEndpoint);
                    AddIfSet(destinations, http.ProfilesEndpoint);
                    break;
            }
        }

        return new CollectorEndpoints(listen, destinations);
    }

    private static void AddIfSet(List<string> into, string? endpoint)
    {
        if (!string.IsNullOrEmpty(endpoint) && !into.Contains(endpoint))
        {
            into.Add(endpoint);
        }
    }
}
