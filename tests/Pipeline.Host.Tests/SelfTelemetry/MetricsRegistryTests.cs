using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Abstractions;
using Pipeline.Host.SelfTelemetry;
using Pipeline.Telemetry;
using Xunit;

namespace Pipeline.Host.Tests.SelfTelemetry;

public class MetricsRegistryTests
{
    private static ComponentSettings Settings(Meter meter, ComponentKind kind, string id) => new()
    {
        Id = ComponentId.TryParse(id, out var cid, out _) ? cid : throw new ArgumentException(id),
        Kind = kind,
        Logger = NullLogger.Instance,
        LoggerFactory = NullLoggerFactory.Instance,
        Meter = meter,
    };

    [Fact]
    public void Render_ReceiverCounters_UseOtelcolNamesAndLabelsWithoutSuffixes()
    {
        string meterName = "Pipeline.Test." + Guid.NewGuid();
        using var meter = new Meter(meterName);
        using var registry = new MetricsRegistry(meterName);
        var grpc = new ReceiverObsReport(Settings(meter, ComponentKind.Receiver, "otlp"), "grpc");
        var http = new ReceiverObsReport(Settings(meter, ComponentKind.Receiver, "otlp"), "http");

        grpc.Accepted(Signal.Traces, 100);
        grpc.Accepted(Signal.Traces, 20);
        http.Refused(Signal.Logs, 3);
        string text = registry.Render();

        Assert.Contains("# TYPE otelcol_receiver_accepted_spans counter\n", text, StringComparison.Ordinal);
        Assert.Contains("otelcol_receiver_accepted_spans{receiver=\"otlp\",transport=\"grpc\"} 120\n", text, StringComparison.Ordinal);
        Assert.Contains("otelcol_receiver_refused_log_records{receiver=\"otlp\",transport=\"http\"} 3\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("_total", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SameNameFromTwoComponents_OneFamilyTwoSeries()
    {
        string meterName = "Pipeline.Test." + Guid.NewGuid();
        using var meter = new Meter(meterName);
        using var registry = new MetricsRegistry(meterName);
        new ExporterObsReport(Settings(meter, ComponentKind.Exporter, "otlp_grpc/a"), Signal.Traces).Sent(5);
        new ExporterObsReport(Settings(meter, ComponentKind.Exporter, "file"), Signal.Traces).Sent(7);

        string text = registry.Render();

        Assert.Single(text.Split('\n'), l => l == "# TYPE otelcol_exporter_sent_spans counter");
        Assert.Contains("otelcol_exporter_sent_spans{exporter=\"otlp_grpc/a\"} 5\n", text, StringComparison.Ordinal);
        Assert.Contains("otelcol_exporter_sent_spans{exporter=\"file\"} 7\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_QueueGauges_ReportCurrentValues()
    {
        string meterName = "Pipeline.Test." + Guid.NewGuid();
        using var meter = new Meter(meterName);
        using var registry = new MetricsRegistry(meterName);
        long size = 3;
        new ExporterObsReport(Settings(meter, ComponentKind.Exporter, "otlp_grpc"), Signal.Metrics).ObserveQueue(() => size, 1000);

        string first = registry.Render();
        size = 9;
        string second = registry.Render();

        Assert.Contains("otelcol_exporter_queue_size{data_type=\"metrics\",exporter=\"otlp_grpc\"} 3\n", first, StringComparison.Ordinal);
        Assert.Contains("otelcol_exporter_queue_size{data_type=\"metrics\",exporter=\"otlp_grpc\"} 9\n", second, StringComparison.Ordinal);
        Assert.Contains("otelcol_exporter_queue_capacity{data_type=\"metrics\",exporter=\"otlp_grpc\"} 1000\n", second, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Histogram_CumulativeBucketsSumAndCount()
    {
        string meterName = "Pipeline.Test." + Guid.NewGuid();
        using var meter = new Meter(meterName);
        using var registry = new MetricsRegistry(meterName);
        var histogram = meter.CreateHistogram<long>("otelcol_processor_batch_batch_send_size");

        histogram.Record(3, new KeyValuePair<string, object?>("processor", "batch"));
        histogram.Record(8000, new KeyValuePair<string, object?>("processor", "batch"));
        string text = registry.Render();

        Assert.Contains("otelcol_processor_batch_batch_send_size_bucket{processor=\"batch\",le=\"5\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("otelcol_processor_batch_batch_send_size_bucket{processor=\"batch\",le=\"10000\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("otelcol_processor_batch_batch_send_size_bucket{processor=\"batch\",le=\"+Inf\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("otelcol_processor_batch_batch_send_size_sum{processor=\"batch\"} 8003\n", text, StringComparison.Ordinal);
        Assert.Contains("otelcol_processor_batch_batch_send_size_count{processor=\"batch\"} 2\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Endpoint_ServesMetricsAndProcessFigures()
    {
        string meterName = "Pipeline.Test." + Guid.NewGuid();
        using var meter = new Meter(meterName);
        using var registry = new MetricsRegistry(meterName);
        ProcessMetrics.Register(meter);
        await using var endpoint = new PrometheusEndpoint(registry);
        await endpoint.StartAsync("127.0.0.1", 0, default);
        using var client = new HttpClient();

        using var response = await client.GetAsync(new Uri(endpoint.Address!, "/metrics"));
        string text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\notelcol_process_uptime ", "\n" + text, StringComparison.Ordinal);
        Assert.Contains("\notelcol_process_memory_rss ", "\n" + text, StringComparison.Ordinal);
        Assert.Contains("\notelcol_process_cpu_seconds ", "\n" + text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_DottedInstrumentName_WrittenWithUnderscoresAsOtelcolsPrometheusExporter()
    {
        string meterName = "Pipeline.Test." + Guid.NewGuid();
        using var meter = new Meter(meterName);
        using var registry = new MetricsRegistry(meterName);
        var counter = meter.CreateCounter<long>("otelcol_processor_filter_spans.filtered", "1", "Number of spans dropped by the filter processor");

        counter.Add(3, new KeyValuePair<string, object?>("filter", "filter/health"));
        string text = registry.Render();

        Assert.Contains("# TYPE otelcol_processor_filter_spans_filtered counter\n", text, StringComparison.Ordinal);
        Assert.Contains("otelcol_processor_filter_spans_filtered{filter=\"filter/health\"} 3\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("spans.filtered", text, StringComparison.Ordinal);
    }
}
