using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Abstractions;
using Pipeline.Processors.Filter;
using Pipeline.Telemetry;
using Pipeline.Testing;
using Xunit;
using ProtoResource = OpenTelemetry.Proto.Resource.V1.Resource;

namespace Pipeline.Processors.Tests.Filter;

public sealed class FilterProcessorTests
{
    private const string RouteFilterRegex = """
        error_mode: ignore
        trace_conditions:
          - 'IsMatch(span.attributes["url.path"], "^/(health|ready|metrics)$")'
        """;

    private const string RouteFilterEquals = """
        traces:
          span:
            - attributes["url.path"] == "/health" or attributes["url.path"] == "/ready" or attributes["url.path"] == "/metrics"
        """;

    [Theory]
    [InlineData(RouteFilterRegex)]
    [InlineData(RouteFilterEquals)]
    public async Task ConsumeAsync_RouteFilter_DropsHealthReadyMetricsFromSdkAndEbpfSpans(string yaml)
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(sink, yaml);
        var traces = Traces(
            ("sdk-svc", Span("GET /health", ("url.path", "/health"), ("http.route", "/health"))),
            ("sdk-svc", Span("GET /orders", ("url.path", "/orders"))),
            ("beyla-svc", Span("GET /ready", ("url.path", "/ready"), ("server.address", "10.0.0.1"))),
            ("beyla-svc", Span("GET /metrics", ("url.path", "/metrics"))),
            ("beyla-svc", Span("GET /healthz", ("url.path", "/healthz"))));

        await processor.ConsumeAsync(traces, default);

        Assert.Equal(["GET /orders", "GET /healthz"], SpanNames(sink));
        Assert.Equal(2, sink.Batches[0].Request.ResourceSpans.Count);
    }

    [Fact]
    public async Task ConsumeAsync_EverythingDropped_DoesNotCallNext()
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(sink, RouteFilterRegex);

        await processor.ConsumeAsync(Traces(("a", Span("x", ("url.path", "/health")))), default);

        Assert.Empty(sink.Batches);
    }

    [Fact]
    public async Task ConsumeAsync_SomeDropped_CountsThemInOtelcolsFilteredCounter()
    {
        var sink = new SinkConsumer<Traces>();
        var factory = new FilterProcessorFactory();
        var config = factory.CreateDefaultConfig();
        Assert.Empty(Yaml.Load("processors::test", config, RouteFilterRegex));
        var settings = TestSettings.For(ComponentKind.Processor, "filter/routes");
        using var recorder = new MetricRecorder(settings.Meter);
        var processor = factory.CreateProcessor(settings, config, (IConsumer<Traces>)sink);

        await processor.ConsumeAsync(Traces(("a", Span("h", ("url.path", "/health"))), ("a", Span("o", ("url.path", "/orders"))), ("b", Span("r", ("url.path", "/ready")))), default);

        Assert.Equal(2, recorder.Sum("otelcol_processor_filter_spans.filtered"));
        Assert.Equal(3, recorder.Sum("otelcol_processor_incoming_items"));
        Assert.Equal(1, recorder.Sum("otelcol_processor_outgoing_items"));
    }

    [Fact]
    public async Task ConsumeAsync_NoConditions_PassesBatchThrough()
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(sink, "error_mode: silent");

        await processor.ConsumeAsync(Traces(("a", Span("x"))), default);

        Assert.Equal(["x"], SpanNames(sink));
    }

    [Fact]
    public async Task ConsumeAsync_SeverityBelowWarn_DropsRecords()
    {
        var sink = new SinkConsumer<Logs>();
        var processor = Create(sink, "log_conditions: ['severity_number < SEVERITY_NUMBER_WARN']");

        await processor.ConsumeAsync(Logs(SeverityNumber.Debug, SeverityNumber.Info, SeverityNumber.Warn, SeverityNumber.Error), default);

        Assert.Equal([SeverityNumber.Warn, SeverityNumber.Error], Severities(sink));
    }

    [Fact]
    public async Task ConsumeAsync_NestedLogRecordStyle_DropsMatchingBodies()
    {
        var sink = new SinkConsumer<Logs>();
        var processor = Create(sink, "logs: {log_record: ['IsMatch(body, \"^debug:\")']}");

        await processor.ConsumeAsync(Logs(SeverityNumber.Debug, SeverityNumber.Info), default);

        Assert.Equal([SeverityNumber.Info], Severities(sink));
    }

    [Fact]
    public async Task ConsumeAsync_AdvancedStyleResourceContext_DropsWholeResource()
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(sink, """
            trace_conditions:
              - context: resource
                conditions: ['attributes["service.name"] == "noisy"']
            """);

        await processor.ConsumeAsync(Traces(("noisy", Span("a")), ("quiet", Span("b"))), default);

        Assert.Equal(["b"], SpanNames(sink));
    }

    [Fact]
    public async Task ConsumeAsync_SpanEventConditions_DropEventsButKeepSpan()
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(sink, "traces: {spanevent: ['name == \"noise\"']}");
        var span = Span("keep");
        span.Events.Add(new Span.Types.Event { Name = "noise" });
        span.Events.Add(new Span.Types.Event { Name = "noise" });

        await processor.ConsumeAsync(Traces(("a", span)), default);

        var kept = Assert.Single(sink.Batches[0].Request.ResourceSpans[0].ScopeSpans[0].Spans);
        Assert.Empty(kept.Events);
    }

    [Fact]
    public async Task ConsumeAsync_DroppedSpan_SkipsItsSpanEventConditions()
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(sink, """
            error_mode: propagate
            traces:
              span: ['name == "drop"']
              spanevent: ['Len(name) == 0 or ToLowerCase(span.kind) == "x"']
            """);
        var dropped = Span("drop");
        dropped.Events.Add(new Span.Types.Event { Name = "e" });

        await processor.ConsumeAsync(Traces(("a", dropped), ("a", Span("kept"))), default);

        Assert.Equal(["kept"], SpanNames(sink));
    }

    [Fact]
    public async Task ConsumeAsync_AllDataPointsDropped_DropsMetric()
    {
        var sink = new SinkConsumer<Metrics>();
        var processor = Create(sink, "metrics: {datapoint: ['attributes[\"env\"] == \"dev\"']}");

        await processor.ConsumeAsync(Metrics(("a", ["dev", "dev"]), ("b", ["dev", "prod"])), default);

        var metric = Assert.Single(sink.Batches[0].Request.ResourceMetrics[0].ScopeMetrics[0].Metrics);
        Assert.Equal("b", metric.Name);
        Assert.Single(metric.Gauge.DataPoints);
    }

    [Fact]
    public async Task ConsumeAsync_HasAttrOnDatapoint_DropsMetricWithThatPoint()
    {
        var sink = new SinkConsumer<Metrics>();
        var processor = Create(sink, "metric_conditions: ['HasAttrOnDatapoint(\"env\", \"dev\")']");

        await processor.ConsumeAsync(Metrics(("a", ["prod", "dev"]), ("b", ["prod"])), default);

        Assert.Equal("b", Assert.Single(sink.Batches[0].Request.ResourceMetrics[0].ScopeMetrics[0].Metrics).Name);
    }

    [Fact]
    public async Task ConsumeAsync_HasAttrKeyOnDatapoint_DropsMetricsWithTheKey()
    {
        var sink = new SinkConsumer<Metrics>();
        var processor = Create(sink, "metrics: {metric: ['HasAttrKeyOnDatapoint(\"env\")']}");

        await processor.ConsumeAsync(Metrics(("a", ["prod"])), default);

        Assert.Empty(sink.Batches);
    }

    [Fact]
    public async Task ConsumeAsync_PropagateError_ThrowsPermanent()
    {
        var processor = Create(new SinkConsumer<Traces>(), "trace_conditions: ['Len(span.kind) > 1']");

        var error = await Assert.ThrowsAsync<PermanentException>(async () => await processor.ConsumeAsync(Traces(("a", Span("x"))), default));

        Assert.Equal("failed to eval condition: Len(span.kind) > 1, unsupported type provided to Len function: int64", error.Message);
    }

    [Theory]
    [InlineData("ignore")]
    [InlineData("SILENT")]
    public async Task ConsumeAsync_IgnoreOrSilent_TreatsErrorAsFalse(string mode)
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(sink, $"error_mode: {mode}\ntrace_conditions: ['Len(span.kind) > 1', 'span.name == \"drop\"']");

        await processor.ConsumeAsync(Traces(("a", Span("x")), ("a", Span("drop"))), default);

        Assert.Equal(["x"], SpanNames(sink));
    }

    [Fact]
    public async Task ConsumeAsync_Ignore_LogsOncePerBatchAtDebug()
    {
        var recorder = new LogRecorder();
        var factory = new FilterProcessorFactory();
        var config = factory.CreateDefaultConfig();
        Assert.Empty(Yaml.Load("processors::test", config, "error_mode: ignore\ntrace_conditions: ['Len(span.kind) > 1']"));
        var processor = factory.CreateProcessor(TestSettings.For(ComponentKind.Processor, "filter", recorder), config, new SinkConsumer<Traces>());

        await processor.ConsumeAsync(Traces(("a", Span("x")), ("a", Span("y"))), default);

        var entry = Assert.Single(recorder.Entries);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Debug, entry.Level);
        Assert.StartsWith("2 condition evaluations failed", entry.Message);
    }

    [Fact]
    public async Task ConsumeAsync_LegacySpansExcludeRegexp_DropsMatching()
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(sink, "spans: {exclude: {match_type: regexp, span_names: ['^GET /(health|ready)']}}");

        await processor.ConsumeAsync(Traces(("a", Span("GET /health")), ("a", Span("GET /x"))), default);

        Assert.Equal(["GET /x"], SpanNames(sink));
    }

    [Fact]
    public async Task ConsumeAsync_LegacySpansIncludeStrictServices_KeepsOnlyThoseServices()
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(sink, "spans: {include: {match_type: strict, services: [a]}}");

        await processor.ConsumeAsync(Traces(("a", Span("1")), ("b", Span("2"))), default);

        Assert.Equal(["1"], SpanNames(sink));
    }

    [Fact]
    public async Task ConsumeAsync_LegacyMetricsInclude_KeepsNamedMetrics()
    {
        var sink = new SinkConsumer<Metrics>();
        var processor = Create(sink, "metrics: {include: {match_type: strict, metric_names: [b]}}");

        await processor.ConsumeAsync(Metrics(("a", ["x"]), ("b", ["x"])), default);

        Assert.Equal("b", Assert.Single(sink.Batches[0].Request.ResourceMetrics[0].ScopeMetrics[0].Metrics).Name);
    }

    [Fact]
    public async Task ConsumeAsync_LegacyLogsExcludeSeverity_DropsFromMinimum()
    {
        var sink = new SinkConsumer<Logs>();
        var processor = Create(sink, "logs: {exclude: {match_type: strict, severity_number: {min: warn}}}");

        await processor.ConsumeAsync(Logs(SeverityNumber.Info, SeverityNumber.Warn, SeverityNumber.Fatal), default);

        Assert.Equal([SeverityNumber.Info], Severities(sink));
    }

    [Fact]
    public async Task ConsumeAsync_LegacyLogsIncludeBodiesRegexp_KeepsMatching()
    {
        var sink = new SinkConsumer<Logs>();
        var processor = Create(sink, "logs: {include: {match_type: regexp, bodies: ['^debug']}}");

        await processor.ConsumeAsync(Logs(SeverityNumber.Debug, SeverityNumber.Info), default);

        Assert.Equal([SeverityNumber.Debug], Severities(sink));
    }

    [Fact]
    public void Rejects_UnknownLegacySpanKind()
    {
        var errors = Yaml.Load("processors::test", new FilterConfig(), "spans: {include: {match_type: strict, span_kinds: [server]}}");

        Assert.Equal(["processors::test::spans::include: span_kinds string must match one of the standard span kinds when match_type=strict: [SPAN_KIND_CLIENT SPAN_KIND_CONSUMER SPAN_KIND_INTERNAL SPAN_KIND_PRODUCER SPAN_KIND_SERVER]."], errors);
    }

    [Fact]
    public void Rejects_MixedFlatAndAdvancedStyles()
    {
        var errors = Yaml.Load("processors::test", new FilterConfig(), """
            trace_conditions:
              - 'span.name == "a"'
              - context: span
                conditions: ['name == "b"']
            """);

        Assert.Equal(["processors::test::trace_conditions: configuring multiple configuration styles is not supported, please use only Basic configuration or only Advanced configuration."], errors);
    }

    [Fact]
    public void Rejects_ContextInferredWithNestedStyle()
    {
        var errors = Yaml.Load("processors::test", new FilterConfig(), "trace_conditions: ['span.name == \"a\"']\ntraces: {span: ['name == \"b\"']}");

        Assert.Equal(["processors::test: cannot use context inferred trace conditions \"trace_conditions\" and the settings \"traces.resource\", \"traces.span\", \"traces.spanevent\" at the same time."], errors);
    }

    [Fact]
    public void Rejects_NestedWithLegacyForSpans()
    {
        var errors = Yaml.Load("processors::test", new FilterConfig(), "traces: {span: ['name == \"b\"']}\nspans: {exclude: {match_type: strict, span_names: [x]}}");

        Assert.Equal(["processors::test: cannot use \"traces.resource\", \"traces.span\", \"traces.spanevent\" and the span settings \"spans.include\", \"spans.exclude\" at the same time."], errors);
    }

    [Fact]
    public void Rejects_UnknownErrorMode()
    {
        var errors = Yaml.Load("processors::test", new FilterConfig(), "error_mode: loud");

        Assert.Equal(["processors::test::error_mode: unknown error mode loud."], errors);
    }

    [Fact]
    public void Rejects_UnparsableCondition_NamingItAndPosition()
    {
        var errors = Yaml.Load("processors::test", new FilterConfig(), "traces: {span: ['name ==']}");

        Assert.Equal(["processors::test::traces::span: unable to parse OTTL condition \"name ==\": expected a value at position 7."], errors);
    }

    [Fact]
    public void Rejects_UnknownPathInFlatStyle()
    {
        var errors = Yaml.Load("processors::test", new FilterConfig(), "log_conditions: ['log.bogus == 1']");

        Assert.Equal(["processors::test::log_conditions: unable to parse OTTL condition \"log.bogus == 1\": unknown path \"log.bogus\" for the log context at position 0."], errors);
    }

    [Fact]
    public void Rejects_ExprMatchType()
    {
        var errors = Yaml.Load("processors::test", new FilterConfig(), "metrics: {exclude: {match_type: expr, expressions: ['MetricName == \"a\"']}}");

        Assert.Equal(["processors::test::metrics::exclude::match_type: match_type \"expr\" is not supported by this collector; use OTTL conditions instead."], errors);
    }

    [Fact]
    public void Rejects_HasAttrOnDatapointOutsideMetricContext()
    {
        var errors = Yaml.Load("processors::test", new FilterConfig(), "metrics: {datapoint: ['HasAttrOnDatapoint(\"a\", \"b\")']}");

        Assert.Equal(["processors::test::metrics::datapoint: unable to parse OTTL condition \"HasAttrOnDatapoint(\"a\", \"b\")\": function \"HasAttrOnDatapoint\" is not valid in the datapoint context at position 0."], errors);
    }

    [Fact]
    public void Accepts_EveryStyleTogetherAcrossSignals()
    {
        var errors = Yaml.Load("processors::test", new FilterConfig(), """
            error_mode: Ignore
            trace_conditions: ['span.kind == SPAN_KIND_INTERNAL']
            metrics:
              metric: ['name == "x"']
              datapoint: ['value_int < 0']
            logs:
              include: {match_type: regexp, bodies: ['^keep']}
            """);

        Assert.Empty(errors);
    }

    private static IProcessor<T> Create<T>(IConsumer<T> next, string yaml)
        where T : TelemetryData
    {
        var factory = new FilterProcessorFactory();
        var config = factory.CreateDefaultConfig();
        Assert.Empty(Yaml.Load("processors::test", config, yaml));
        var processor = factory.CreateProcessor(TestSettings.For(ComponentKind.Processor, "filter"), config, next);
        Assert.True(processor.Capabilities.MutatesData);
        return processor;
    }

    private static Span Span(string name, params (string Key, string Value)[] attributes)
    {
        var span = new Span { Name = name, Kind = OpenTelemetry.Proto.Trace.V1.Span.Types.SpanKind.Server };
        foreach (var (k, v) in attributes)
        {
            span.Attributes.Add(new KeyValue { Key = k, Value = new AnyValue { StringValue = v } });
        }

        return span;
    }

    private static ProtoResource Resource(string service)
    {
        var resource = new ProtoResource();
        resource.Attributes.Add(new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = service } });
        return resource;
    }

    /// <summary>One resource per distinct service (in order), one scope each.</summary>
    private static Traces Traces(params (string Service, Span Span)[] spans)
    {
        var request = new ExportTraceServiceRequest();
        foreach (var (service, span) in spans)
        {
            var rs = request.ResourceSpans.LastOrDefault(r => r.Resource.Attributes[0].Value.StringValue == service);
            if (rs is null)
            {
                rs = new ResourceSpans { Resource = Resource(service) };
                rs.ScopeSpans.Add(new ScopeSpans { Scope = new InstrumentationScope { Name = "lib" } });
                request.ResourceSpans.Add(rs);
            }

            rs.ScopeSpans[0].Spans.Add(span);
        }

        return Telemetry.Traces.FromRequest(request);
    }

    private static Logs Logs(params SeverityNumber[] severities)
    {
        var sl = new ScopeLogs();
        foreach (var s in severities)
        {
            sl.LogRecords.Add(new LogRecord { SeverityNumber = s, Body = new AnyValue { StringValue = s == SeverityNumber.Debug ? "debug: x" : "msg" } });
        }

        var rl = new ResourceLogs { Resource = Resource("a") };
        rl.ScopeLogs.Add(sl);
        var request = new ExportLogsServiceRequest();
        request.ResourceLogs.Add(rl);
        return Telemetry.Logs.FromRequest(request);
    }

    private static Metrics Metrics(params (string Name, string[] Envs)[] metrics)
    {
        var sm = new ScopeMetrics();
        foreach (var (name, envs) in metrics)
        {
            var metric = new Metric { Name = name, Gauge = new Gauge() };
            foreach (string env in envs)
            {
                var p = new NumberDataPoint { AsInt = 1 };
                p.Attributes.Add(new KeyValue { Key = "env", Value = new AnyValue { StringValue = env } });
                metric.Gauge.DataPoints.Add(p);
            }

            sm.Metrics.Add(metric);
        }

        var rm = new ResourceMetrics { Resource = Resource("a") };
        rm.ScopeMetrics.Add(sm);
        var request = new ExportMetricsServiceRequest();
        request.ResourceMetrics.Add(rm);
        return Telemetry.Metrics.FromRequest(request);
    }

    private static List<string> SpanNames(SinkConsumer<Traces> sink)
    {
        var names = new List<string>();
        foreach (var batch in sink.Batches)
        {
            foreach (var rs in batch.Request.ResourceSpans)
            {
                foreach (var ss in rs.ScopeSpans)
                {
                    foreach (var s in ss.Spans)
                    {
                        names.Add(s.Name);
                    }
                }
            }
        }

        return names;
    }

    private static List<SeverityNumber> Severities(SinkConsumer<Logs> sink)
    {
        var result = new List<SeverityNumber>();
        foreach (var batch in sink.Batches)
        {
            foreach (var rl in batch.Request.ResourceLogs)
            {
                foreach (var sl in rl.ScopeLogs)
                {
                    foreach (var r in sl.LogRecords)
                    {
                        result.Add(r.SeverityNumber);
                    }
                }
            }
        }

        return result;
    }
}
