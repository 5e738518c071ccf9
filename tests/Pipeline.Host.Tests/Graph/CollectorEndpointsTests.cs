using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Config;
using Pipeline.Host.Graph;

namespace Pipeline.Host.Tests.Graph;

/// <summary>The endpoints the host offers starting components (the ebpf receiver excludes their ports).</summary>
public sealed class CollectorEndpointsTests
{
    [Fact]
    public void From_OtlpReceiverHealthCheckAndOtlpExporters_ListensAndDestinations()
    {
        var config = ConfigLoader.LoadYaml(
            """
            receivers:
              otlp:
                protocols:
                  grpc:
                    endpoint: 127.0.0.1:14317
                  http:
            extensions:
              health_check:
                endpoint: 127.0.0.1:23133
            exporters:
              otlp_grpc:
                endpoint: collector-b:4317
              otlp_http:
                endpoint: http://127.0.0.1:24318
                traces_endpoint: http://127.0.0.1:25318/v1/traces
            service:
              extensions: [health_check]
              pipelines:
                traces:
                  receivers: [otlp]
                  exporters: [otlp_grpc, otlp_http]
            """,
            "endpoints.yaml",
            Components.Create(),
            _ => null,
            NullLogger.Instance);

        var endpoints = CollectorEndpoints.From(config);

        Assert.Equal(["127.0.0.1:14317", "localhost:4318", "127.0.0.1:23133"], endpoints.ListenEndpoints);
        Assert.Equal(["collector-b:4317", "http://127.0.0.1:24318", "http://127.0.0.1:25318/v1/traces"], endpoints.DestinationEndpoints);
    }
}
