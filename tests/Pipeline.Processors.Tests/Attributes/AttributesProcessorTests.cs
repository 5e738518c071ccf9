using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Abstractions;
using Pipeline.Processors.Attributes;
using Pipeline.Telemetry;
using Pipeline.Testing;
using Xunit;
using ProtoResource = OpenTelemetry.Proto.Resource.V1.Resource;

namespace Pipeline.Processors.Tests.Attributes;

public sealed class AttributesProcessorTests
{
    private const string Tag = "actions:\n  - {key: tagged, value: true, action: insert}\n";

    [Fact]
    public async Task ConsumeAsync_NoFilters_TagsEverySpan()
    {
        var sink = new SinkConsumer<Traces>();

        await Create(sink, Tag).ConsumeAsync(Spans(("svc-a", "lib", "GET /", Span.Types.SpanKind.Server, "k", "v")), default);

        Assert.Equal([true], Tagged(sink));
    }

    [Fact]
    public async Task ConsumeAsync_IncludeServicesStrict_TagsOnlyThatService()
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(sink, Tag + "include: {match_type: strict, services: [svc-a]}");

        await processor.ConsumeAsync(Spans(("svc-a", "lib", "x", Span.Types.SpanKind.Server, "k", "v"), ("svc-b", "lib", "x", Span.Types.SpanKind.Server, "k", "v")), default);

        Assert.Equal([true, false], Tagged(sink));
    }

    [Fact]
    public async Task ConsumeAsync_IncludeSpanNamesRegexpAndExcludeKind_AppliesBothInOrder()
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(sink, Tag + """
            include: {match_type: regexp, span_names: ['^GET']}
            exclude: {match_type: strict, span_kinds: [SPAN_KIND_CLIENT]}
            """);

        await processor.ConsumeAsync(
            Spans(
                ("s", "lib", "GET /a", Span.Types.SpanKind.Server, "k", "v"),
                ("s", "lib", "GET /b", Span.Types.SpanKind.Client, "k", "v"),
                ("s", "lib", "POST /c", Span.Types.SpanKind.Server, "k", "v")),
            default);

        Assert.Equal([true, false, false], Tagged(sink));
    }

    [Fact]
    public async Task ConsumeAsync_IncludeAttributesAndLibraries_RequiresAllToMatch()
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(sink, Tag + """
            include:
              match_type: strict
              attributes: [{key: k, value: v}]
              libraries: [{name: lib}]
            """);

        await processor.ConsumeAsync(
            Spans(("s", "lib", "a", Span.Types.SpanKind.Server, "k", "v"), ("s", "other", "b", Span.Types.SpanKind.Server, "k", "v"), ("s", "lib", "c", Span.Types.SpanKind.Server, "k", "w")),
            default);

        Assert.Equal([true, false, false], Tagged(sink));
    }

    [Fact]
    public async Task ConsumeAsync_ExcludeResourcesRegexp_SkipsMatchingResource()
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(sink, Tag + "exclude: {match_type: regexp, resources: [{key: service.name, value: '-b$'}]}");

        await processor.ConsumeAsync(Spans(("svc-a", "lib", "x", Span.Types.SpanKind.Server, "k", "v"), ("svc-b", "lib", "x", Span.Types.SpanKind.Server, "k", "v")), default);

        Assert.Equal([true, false], Tagged(sink));
    }

    [Fact]
    public async Task ConsumeAsync_LogsFilteredBySeverityAndBody_TagsMatchingRecords()
    {
        var sink = new SinkConsumer<Logs>();
        var processor = Create(sink, Tag + "include: {match_type: regexp, log_bodies: [error], log_severity_number: {min: WARN}}");
        var request = new ExportLogsServiceRequest();
        var sl = new ScopeLogs();
        sl.LogRecords.Add(new LogRecord { Body = new AnyValue { StringValue = "an error" }, SeverityNumber = SeverityNumber.Error });
        sl.LogRecords.Add(new LogRecord { Body = new AnyValue { StringValue = "an error" }, SeverityNumber = SeverityNumber.Info });
        sl.LogRecords.Add(new LogRecord { Body = new AnyValue { StringValue = "fine" }, SeverityNumber = SeverityNumber.Fatal });
        sl.LogRecords.Add(new LogRecord { Body = new AnyValue { StringValue = "error" } });
        var rl = new ResourceLogs();
        rl.ScopeLogs.Add(sl);
        request.ResourceLogs.Add(rl);

        await processor.ConsumeAsync(Logs.FromEncoded(request.ToByteArray()), default);

        var tagged = new List<bool>();
        foreach (var record in sink.Batches[0].Request.ResourceLogs[0].ScopeLogs[0].LogRecords)
        {
            tagged.Add(record.Attributes.Count > 0);
        }

        Assert.Equal([true, false, false, false], tagged);
    }

    [Fact]
    public async Task ConsumeAsync_MetricsFilteredByName_TagsEveryPointOfMatchingMetrics()
    {
        var sink = new SinkConsumer<Metrics>();
        var processor = Create(sink, Tag + "include: {match_type: strict, metric_names: [requests]}");
        var sm = new ScopeMetrics();
        var requests = new Metric { Name = "requests", Sum = new Sum() };
        requests.Sum.DataPoints.Add(new NumberDataPoint { AsInt = 1 });
        requests.Sum.DataPoints.Add(new NumberDataPoint { AsInt = 2 });
        var other = new Metric { Name = "other", Histogram = new Histogram() };
        other.Histogram.DataPoints.Add(new HistogramDataPoint());
        sm.Metrics.Add(requests);
        sm.Metrics.Add(other);
        var rm = new ResourceMetrics();
        rm.ScopeMetrics.Add(sm);
        var request = new ExportMetricsServiceRequest();
        request.ResourceMetrics.Add(rm);

        await processor.ConsumeAsync(Metrics.FromRequest(request), default);

        var metrics = sink.Batches[0].Request.ResourceMetrics[0].ScopeMetrics[0].Metrics;
        Assert.All(metrics[0].Sum.DataPoints, p => Assert.Equal("tagged", Assert.Single(p.Attributes).Key));
        Assert.Empty(metrics[1].Histogram.DataPoints[0].Attributes);
    }

    [Fact]
    public void CreateProcessor_LogFieldsForSpans_ThrowsOtelcolMessage()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Create(new SinkConsumer<Traces>(), Tag + "include: {match_type: strict, log_bodies: [x]}"));

        Assert.Equal("log_bodies should not be specified for trace spans", error.Message);
    }

    [Fact]
    public async Task ConsumeAsync_FromContext_EveryItemOfEverySignalGetsTheBatchClientValue()
    {
        var client = new ClientInfo("10.1.2.3", [new("x-tenant", ["acme"])]);
        const string Yaml = "actions:\n  - {key: tenant, from_context: metadata.x-tenant, action: insert}\n  - {key: peer, from_context: client.address, action: insert}";
        var traces = new SinkConsumer<Traces>();
        var metrics = new SinkConsumer<Metrics>();
        var logs = new SinkConsumer<Logs>();

        await Create(traces, Yaml).ConsumeAsync(TestData.Spans(4, perScope: 2, scopesPerResource: 1).WithClient(client), default);
        await Create(metrics, Yaml).ConsumeAsync(TestData.Points(3).WithClient(client), default);
        await Create(logs, Yaml).ConsumeAsync(TestData.LogRecords(3).WithClient(client), default);

        var spanAttrs = new List<RepeatedFieldView>();
        foreach (var rs in Assert.Single(traces.Batches).Request.ResourceSpans)
        {
            foreach (var ss in rs.ScopeSpans)
            {
                foreach (var span in ss.Spans)
                {
                    spanAttrs.Add(new(span.Attributes));
                }
            }
        }

        var recordAttrs = new List<RepeatedFieldView>();
        foreach (var rl in Assert.Single(logs.Batches).Request.ResourceLogs)
        {
            foreach (var sl in rl.ScopeLogs)
            {
                foreach (var record in sl.LogRecords)
                {
                    recordAttrs.Add(new(record.Attributes));
                }
            }
        }

        var pointAttrs = new List<RepeatedFieldView>();
        foreach (var rm in Assert.Single(metrics.Batches).Request.ResourceMetrics)
        {
            foreach (var sm in rm.ScopeMetrics)
            {
                foreach (var metric in sm.Metrics)
                {
                    foreach (var point in metric.Gauge?.DataPoints ?? [])
                    {
                        pointAttrs.Add(new(point.Attributes));
                    }

                    foreach (var point in metric.Sum?.DataPoints ?? [])
                    {
                        pointAttrs.Add(new(point.Attributes));
                    }
                }
            }
        }

        Assert.Equal(4, spanAttrs.Count);
        Assert.Equal(3, recordAttrs.Count);
        Assert.Equal(3, pointAttrs.Count);
        Assert.All([.. spanAttrs, .. recordAttrs, .. pointAttrs], a =>
        {
            Assert.Equal("acme", a.Get("tenant"));
            Assert.Equal("10.1.2.3", a.Get("peer"));
        });
    }

    [Fact]
    public async Task ConsumeAsync_FromContextWithoutMetadata_LeavesSpansAlone()
    {
        var sink = new SinkConsumer<Traces>();

        await Create(sink, "actions:\n  - {key: tenant, from_context: metadata.x-tenant, action: insert}").ConsumeAsync(
            Spans(("s", "lib", "a", Span.Types.SpanKind.Server, "k", "v")).WithClient(new ClientInfo("10.1.2.3")),
            default);

        var span = Assert.Single(Assert.Single(Assert.Single(sink.Batches).Request.ResourceSpans).ScopeSpans).Spans.Single();
        Assert.Equal(["k"], span.Attributes.Select(a => a.Key));
    }

    [Fact]
    public void CreateProcessor_SpanFieldsForLogs_ThrowsOtelcolMessage()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Create(new SinkConsumer<Logs>(), Tag + "include: {match_type: strict, services: [x]}"));

        Assert.Equal("services, span_names, and span_kinds are not valid for log records", error.Message);
    }

    [Fact]
    public void CreateProcessor_UnknownStrictSpanKind_ThrowsOtelcolMessage()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Create(new SinkConsumer<Traces>(), Tag + "include: {match_type: strict, span_kinds: [server]}"));

        Assert.Equal("span_kinds string must match one of the standard span kinds when match_type=strict: [SPAN_KIND_CLIENT SPAN_KIND_CONSUMER SPAN_KIND_INTERNAL SPAN_KIND_PRODUCER SPAN_KIND_SERVER]", error.Message);
    }

    [Fact]
    public void Rejects_MissingActions()
    {
        var errors = Yaml.Load("processors::test", new AttributesConfig(), "include: {match_type: strict, services: [a]}");

        Assert.Equal(["processors::test: missing required field \"actions\"."], errors);
    }

    [Fact]
    public void Rejects_BadMatchTypeAndRegexpNonStringValue()
    {
        var errors = Yaml.Load("processors::test", new AttributesConfig(), Tag + """
            include: {match_type: exact, services: [a]}
            exclude: {match_type: regexp, attributes: [{key: n, value: 5}, {key: '', value: x}]}
            """);

        Assert.Equal(
            [
                "processors::test::include: unrecognized match_type: 'exact', valid types are: [regexp strict].",
                "processors::test::exclude::attributes: match_type=regexp for \"n\" only supports Str, but found Int.",
                "processors::test::exclude::attributes: can't have empty key in the list of attributes.",
            ],
            errors);
    }

    [Fact]
    public void Accepts_FullOtelcolExample()
    {
        var config = new AttributesConfig();

        var errors = Yaml.Load("processors::test", config, """
            actions:
              - {key: db.statement, action: delete}
              - {key: user.email, action: hash}
            include:
              match_type: regexp
              regexp: {cacheenabled: true, cachemaxnumentries: 10}
              services: ['auth.*']
              libraries: [{name: 'lib.*', version: '1\..*'}]
              resources: [{key: host.name}]
            exclude:
              match_type: strict
              span_names: [healthz]
            """);

        Assert.Empty(errors);
        Assert.Equal(2, config.Actions.Count);
        Assert.Equal("regexp", config.Include!.MatchType);
        Assert.True(config.Include.RegexpCacheEnabled);
        Assert.Equal("1\\..*", config.Include.Libraries[0].Value);
    }

    private static IProcessor<T> Create<T>(IConsumer<T> next, string yaml)
        where T : TelemetryData
    {
        var factory = new AttributesProcessorFactory();
        var config = factory.CreateDefaultConfig();
        Assert.Empty(Yaml.Load("processors::test", config, yaml));
        var processor = factory.CreateProcessor(TestSettings.For(ComponentKind.Processor, "attributes"), config, next);
        Assert.True(processor.Capabilities.MutatesData);
        return processor;
    }

    private static Traces Spans(params (string Service, string Library, string Name, Span.Types.SpanKind Kind, string Key, string Value)[] spans)
    {
        var request = new ExportTraceServiceRequest();
        foreach (var s in spans)
        {
            var rs = new ResourceSpans { Resource = new ProtoResource() };
            rs.Resource.Attributes.Add(new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = s.Service } });
            var ss = new ScopeSpans { Scope = new InstrumentationScope { Name = s.Library, Version = "1.0" } };
            var span = new Span { Name = s.Name, Kind = s.Kind };
            span.Attributes.Add(new KeyValue { Key = s.Key, Value = new AnyValue { StringValue = s.Value } });
            ss.Spans.Add(span);
            rs.ScopeSpans.Add(ss);
            request.ResourceSpans.Add(rs);
        }

        return Traces.FromEncoded(request.ToByteArray());
    }

    private static List<bool> Tagged(SinkConsumer<Traces> sink)
    {
        var result = new List<bool>();
        foreach (var rs in Assert.Single(sink.Batches).Request.ResourceSpans)
        {
            foreach (var ss in rs.ScopeSpans)
            {
                foreach (var span in ss.Spans)
                {
                    bool tagged = false;
                    foreach (var kv in span.Attributes)
                    {
                        tagged |= kv.Key == "tagged";
                    }

                    result.Add(tagged);
                }
            }
        }

        return result;
    }

    private readonly record struct RepeatedFieldView(Google.Protobuf.Collections.RepeatedField<KeyValue> Attributes)
    {
        public string? Get(string key)
        {
            foreach (var kv in Attributes)
            {
                if (kv.Key == key)
                {
                    return kv.Value.StringValue;
                }
            }

            return null;
        }
    }
}
