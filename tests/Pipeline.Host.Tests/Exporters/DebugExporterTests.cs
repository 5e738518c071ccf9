using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Abstractions;
using Pipeline.Abstractions.Configuration;
using Pipeline.Exporters.Debug;
using Pipeline.Host.Logging;
using Pipeline.Telemetry;
using Pipeline.Testing;

namespace Pipeline.Host.Tests.Exporters;

public sealed class DebugExporterTests
{
    private readonly StringWriter _log = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void CreateDefaultConfig_HasOtelcolDefaults()
    {
        var config = (DebugExporterConfig)new DebugExporterFactory().CreateDefaultConfig();

        Assert.Equal(DebugVerbosity.Basic, config.Verbosity);
        Assert.Equal(2, config.SamplingInitial);
        Assert.Equal(1, config.SamplingThereafter);
        Assert.True(config.UseInternalLogger);
        Assert.Equal(["stdout"], config.OutputPaths);
    }

    [Fact]
    public void Rejects_OutputPathsWithInternalLogger()
    {
        var map = new ConfigMap();
        map.Set("output_paths", new ConfigList([new ConfigScalar("out.txt", quoted: false)]));
        var errors = new ConfigErrorList();
        var config = (DebugExporterConfig)new DebugExporterFactory().CreateDefaultConfig();

        config.Bind(new ConfigSection(map, "exporters::debug", errors));
        config.Validate(new ValidationErrors(errors, "exporters::debug"));

        var error = Assert.Single(errors.Errors);
        Assert.Equal("exporters::debug::output_paths", error.Path);
        Assert.Equal("output_paths is only supported when use_internal_logger is false.", error.Message);
    }

    [Fact]
    public void Rejects_UnknownVerbosity()
    {
        var map = new ConfigMap();
        map.Set("verbosity", new ConfigScalar("loud", quoted: false));
        var errors = new ConfigErrorList();
        var config = (DebugExporterConfig)new DebugExporterFactory().CreateDefaultConfig();

        config.Bind(new ConfigSection(map, "exporters::debug", errors));

        var error = Assert.Single(errors.Errors);
        Assert.Equal("exporters::debug::verbosity: unsupported value \"loud\": must be one of basic, normal, detailed.", error.ToString());
    }

    [Fact]
    public async Task ConsumeAsync_BasicTraces_LogsOneSummaryLine()
    {
        var exporter = Create<Traces>(new DebugExporterConfig());

        await exporter.ConsumeAsync(SampleTraces(), CancellationToken.None);

        Assert.Equal(["Traces {\"resource spans\": 1, \"spans\": 2}"], Messages());
    }

    [Fact]
    public async Task ConsumeAsync_BasicMetricsAndLogs_LogCounts()
    {
        var metrics = Create<Metrics>(new DebugExporterConfig());
        var logs = Create<Logs>(new DebugExporterConfig());

        await metrics.ConsumeAsync(SampleMetrics(), CancellationToken.None);
        await logs.ConsumeAsync(SampleLogs(), CancellationToken.None);

        Assert.Equal(
            ["Metrics {\"resource metrics\": 1, \"metrics\": 2, \"data points\": 3}", "Logs {\"resource logs\": 1, \"log records\": 1}"],
            Messages());
    }

    [Fact]
    public async Task ConsumeAsync_NormalTraces_PrintsOneLinePerSpan()
    {
        var exporter = Create<Traces>(new DebugExporterConfig { Verbosity = DebugVerbosity.Normal });

        await exporter.ConsumeAsync(SampleTraces(), CancellationToken.None);

        var messages = Messages();
        Assert.Equal(2, messages.Count);
        Assert.Equal(
            "ResourceSpans #0 service.name=checkout\n"
            + "ScopeSpans #0 io.test@1.2.3\n"
            + "GET /cart 0102030405060708090a0b0c0d0e0f10 1112131415161718 http.method=GET http.status_code=200 ok=true ratio=0.5 tags=[a,b] nested={k:v}\n"
            + "child 0102030405060708090a0b0c0d0e0f10 2122232425262728\n",
            messages[1]);
    }

    [Fact]
    public async Task ConsumeAsync_NormalMetrics_PrintsOneLinePerDataPoint()
    {
        var exporter = Create<Metrics>(new DebugExporterConfig { Verbosity = DebugVerbosity.Normal });

        await exporter.ConsumeAsync(SampleMetrics(), CancellationToken.None);

        Assert.EndsWith(
            "requests{route=/a} 3\nrequests{route=/b} 4\nlatency{} count=2 sum=1.5 le1=1 le+Inf=1\n",
            Messages()[1],
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsumeAsync_DetailedTraces_DumpsEveryField()
    {
        var exporter = Create<Traces>(new DebugExporterConfig { Verbosity = DebugVerbosity.Detailed });

        await exporter.ConsumeAsync(SampleTraces(), CancellationToken.None);

        string dump = Messages()[1];
        Assert.Contains("Resource attributes:\n     -> service.name: Str(checkout)\n", dump, StringComparison.Ordinal);
        Assert.Contains("InstrumentationScope io.test 1.2.3\n", dump, StringComparison.Ordinal);
        Assert.Contains("    Trace ID       : 0102030405060708090a0b0c0d0e0f10\n", dump, StringComparison.Ordinal);
        Assert.Contains("    ID             : 1112131415161718\n", dump, StringComparison.Ordinal);
        Assert.Contains("    Parent ID      : 1112131415161718\n", dump, StringComparison.Ordinal);
        Assert.Contains("    Kind           : Server\n", dump, StringComparison.Ordinal);
        Assert.Contains("    Start time     : 2024-01-02 03:04:05.000000123 +0000 UTC\n", dump, StringComparison.Ordinal);
        Assert.Contains("    Status code    : Error\n    Status message : boom\n", dump, StringComparison.Ordinal);
        Assert.Contains("     -> http.method: Str(GET)\n", dump, StringComparison.Ordinal);
        Assert.Contains("     -> http.status_code: Int(200)\n", dump, StringComparison.Ordinal);
        Assert.Contains("     -> ok: Bool(true)\n", dump, StringComparison.Ordinal);
        Assert.Contains("     -> ratio: Double(0.5)\n", dump, StringComparison.Ordinal);
        Assert.Contains("     -> tags: Slice([a,b])\n", dump, StringComparison.Ordinal);
        Assert.Contains("     -> nested: Map({k:v})\n", dump, StringComparison.Ordinal);
        Assert.Contains("SpanEvent #0\n     -> Name: retry\n", dump, StringComparison.Ordinal);
        Assert.Contains("          -> attempt: Int(2)\n", dump, StringComparison.Ordinal);
        Assert.Contains("SpanLink #0\n     -> Trace ID: 3132333435363738393a3b3c3d3e3f40\n", dump, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsumeAsync_DetailedLogs_DumpsBodySeverityAndIds()
    {
        var exporter = Create<Logs>(new DebugExporterConfig { Verbosity = DebugVerbosity.Detailed });

        await exporter.ConsumeAsync(SampleLogs(), CancellationToken.None);

        string dump = Messages()[1];
        Assert.Contains("SeverityText: WARN\nSeverityNumber: Warn(13)\n", dump, StringComparison.Ordinal);
        Assert.Contains("Body: Str(disk almost full)\n", dump, StringComparison.Ordinal);
        Assert.Contains("Trace ID: 0102030405060708090a0b0c0d0e0f10\n", dump, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsumeAsync_MoreThanInitialInOneSecond_SamplesThereafter()
    {
        var exporter = Create<Logs>(new DebugExporterConfig { SamplingInitial = 2, SamplingThereafter = 3 });

        for (int i = 0; i < 8; i++)
        {
            await exporter.ConsumeAsync(SampleLogs(), CancellationToken.None);
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        await exporter.ConsumeAsync(SampleLogs(), CancellationToken.None);

        // Batches 1, 2 (initial), 5, 8 (every third after), then the first of the next second.
        Assert.Equal(5, Messages().Count);
    }

    [Fact]
    public async Task ConsumeAsync_OutputPathWithoutInternalLogger_WritesToTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), "debug-" + Guid.NewGuid().ToString("N") + ".txt");
        var exporter = Create<Traces>(new DebugExporterConfig { UseInternalLogger = false, OutputPaths = [path] });
        await exporter.StartAsync(NopHost.Instance, CancellationToken.None);

        await exporter.ConsumeAsync(SampleTraces(), CancellationToken.None);
        await exporter.ShutdownAsync(CancellationToken.None);

        Assert.Equal("Traces {\"resource spans\": 1, \"spans\": 2}\n", await File.ReadAllTextAsync(path));
        Assert.Empty(Messages());
    }

    private IExporter<T> Create<T>(DebugExporterConfig config)
        where T : TelemetryData
    {
        var loggers = CollectorLoggerProvider.CreateFactory(_log, LogEncoding.Json, LogLevel.Information, _time);
        var settings = TestSettings.For(ComponentKind.Exporter, "debug", loggers, _time);
        return new DebugExporterFactory().CreateExporter<T>(settings, config);
    }

    private List<string> Messages()
    {
        var messages = new List<string>();
        foreach (var line in _log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var json = System.Text.Json.JsonDocument.Parse(line);
            messages.Add(json.RootElement.GetProperty("msg").GetString()!);
        }

        return messages;
    }

    private static ByteString Bytes(int first, int length)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(first + i);
        }

        return ByteString.CopyFrom(bytes);
    }

    private static KeyValue Attr(string key, AnyValue value) => new() { Key = key, Value = value };

    private static Traces SampleTraces()
    {
        var parent = new Span
        {
            Name = "GET /cart",
            TraceId = Bytes(1, 16),
            SpanId = Bytes(0x11, 8),
            Kind = Span.Types.SpanKind.Server,
            StartTimeUnixNano = 1704164645_000000123UL,
            EndTimeUnixNano = 1704164646_000000000UL,
            Status = new Status { Code = Status.Types.StatusCode.Error, Message = "boom" },
        };
        parent.Attributes.Add(Attr("http.method", new AnyValue { StringValue = "GET" }));
        parent.Attributes.Add(Attr("http.status_code", new AnyValue { IntValue = 200 }));
        parent.Attributes.Add(Attr("ok", new AnyValue { BoolValue = true }));
        parent.Attributes.Add(Attr("ratio", new AnyValue { DoubleValue = 0.5 }));
        var array = new ArrayValue();
        array.Values.Add(new AnyValue { StringValue = "a" });
        array.Values.Add(new AnyValue { StringValue = "b" });
        parent.Attributes.Add(Attr("tags", new AnyValue { ArrayValue = array }));
        var map = new KeyValueList();
        map.Values.Add(Attr("k", new AnyValue { StringValue = "v" }));
        parent.Attributes.Add(Attr("nested", new AnyValue { KvlistValue = map }));
        var retry = new Span.Types.Event { Name = "retry", TimeUnixNano = 1704164645_500000000UL };
        retry.Attributes.Add(Attr("attempt", new AnyValue { IntValue = 2 }));
        parent.Events.Add(retry);
        parent.Links.Add(new Span.Types.Link { TraceId = Bytes(0x31, 16), SpanId = Bytes(0x41, 8) });
        var child = new Span { Name = "child", TraceId = Bytes(1, 16), SpanId = Bytes(0x21, 8), ParentSpanId = Bytes(0x11, 8) };

        var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "io.test", Version = "1.2.3" } };
        scope.Spans.Add(parent);
        scope.Spans.Add(child);
        var resource = new ResourceSpans { Resource = new Resource() };
        resource.Resource.Attributes.Add(Attr("service.name", new AnyValue { StringValue = "checkout" }));
        resource.ScopeSpans.Add(scope);
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(resource);
        return Traces.FromRequest(request);
    }

    private static Metrics SampleMetrics()
    {
        var sum = new Sum { IsMonotonic = true, AggregationTemporality = AggregationTemporality.Cumulative };
        var a = new NumberDataPoint { AsInt = 3 };
        a.Attributes.Add(Attr("route", new AnyValue { StringValue = "/a" }));
        var b = new NumberDataPoint { AsInt = 4 };
        b.Attributes.Add(Attr("route", new AnyValue { StringValue = "/b" }));
        sum.DataPoints.Add(a);
        sum.DataPoints.Add(b);
        var histogram = new Histogram();
        var point = new HistogramDataPoint { Count = 2, Sum = 1.5 };
        point.ExplicitBounds.Add(1);
        point.BucketCounts.Add(1);
        point.BucketCounts.Add(1);
        histogram.DataPoints.Add(point);

        var scope = new ScopeMetrics();
        scope.Metrics.Add(new Metric { Name = "requests", Sum = sum });
        scope.Metrics.Add(new Metric { Name = "latency", Histogram = histogram });
        var resource = new ResourceMetrics();
        resource.ScopeMetrics.Add(scope);
        var request = new ExportMetricsServiceRequest();
        request.ResourceMetrics.Add(resource);
        return Metrics.FromRequest(request);
    }

    private static Logs SampleLogs()
    {
        var record = new LogRecord
        {
            Body = new AnyValue { StringValue = "disk almost full" },
            SeverityText = "WARN",
            SeverityNumber = SeverityNumber.Warn,
            TraceId = Bytes(1, 16),
        };
        var scope = new ScopeLogs();
        scope.LogRecords.Add(record);
        var resource = new ResourceLogs();
        resource.ScopeLogs.Add(scope);
        var request = new ExportLogsServiceRequest();
        request.ResourceLogs.Add(resource);
        return Logs.FromRequest(request);
    }
}
