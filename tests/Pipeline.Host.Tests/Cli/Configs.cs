namespace Pipeline.Host.Tests.Cli;

/// <summary>Config files the process tests run.</summary>
internal static class Configs
{
    public static string OtlpToNop(int port) => $"""
        receivers:
          otlp:
            protocols:
              grpc:
                endpoint: 127.0.0.1:{port}
        exporters:
          nop:
        service:
          pipelines:
            traces:
              receivers: [otlp]
              exporters: [nop]
          telemetry:
            metrics:
              level: none
        """.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
}
