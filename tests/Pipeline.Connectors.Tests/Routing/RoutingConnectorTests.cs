using Microsoft.Extensions.Logging;
using Pipeline.Abstractions;
using Pipeline.Connectors.Routing;
using Pipeline.Telemetry;
using Pipeline.Testing;
using Xunit;
using static Pipeline.Connectors.Tests.Routing.RoutingData;

namespace Pipeline.Connectors.Tests.Routing;

public class RoutingConnectorTests
{
    private readonly LogRecorder _log = new();

    [Fact]
    public async Task ConsumeAsync_ResourceContext_SplitsByResource_UnmatchedToDefault()
    {
        var (connector, sinks) = Build<Traces>(
            """
            default_pipelines: [traces/other]
            table:
              - condition: attributes["tenant"] == "acme"
                pipelines: [traces/acme]
              - context: resource
                statement: route() where attributes["tenant"] == "ecorp"
                pipelines: [traces/ecorp]
            """,
            "traces/acme", "traces/ecorp", "traces/other");

        await connector.ConsumeAsync(Traces(("acme", ["a1", "a2"]), ("ecorp", ["e1"]), ("initech", ["i1"]), ("acme", ["a3"])), default);

        Assert.Equal(["acme:a1", "acme:a2", "acme:a3"], Names(sinks["traces/acme"].Batches));
        Assert.Equal(["ecorp:e1"], Names(sinks["traces/ecorp"].Batches));
        Assert.Equal(["initech:i1"], Names(sinks["traces/other"].Batches));
        Assert.Single(sinks["traces/acme"].Batches);
    }

    [Fact]
    public async Task ConsumeAsync_TwoRoutesMatch_FirstRouteOnly()
    {
        var (connector, sinks) = Build<Traces>(
            """
            table:
              - condition: attributes["tenant"] != "nobody"
                pipelines: [traces/first]
              - condition: attributes["tenant"] == "acme"
                pipelines: [traces/second]
            """,
            "traces/first", "traces/second");

        await connector.ConsumeAsync(Traces(("acme", ["a1"])), default);

        Assert.Equal(["acme:a1"], Names(sinks["traces/first"].Batches));
        Assert.Empty(sinks["traces/second"].Batches);
    }

    [Fact]
    public async Task ConsumeAsync_NoDefaultPipelines_UnmatchedDropped()
    {
        var (connector, sinks) = Build<Traces>(
            """
            table:
              - condition: attributes["tenant"] == "acme"
                pipelines: [traces/acme]
            """,
            "traces/acme", "traces/unused");

        await connector.ConsumeAsync(Traces(("ecorp", ["e1"]), ("acme", ["a1"])), default);

        Assert.Equal(["acme:a1"], Names(sinks["traces/acme"].Batches));
        Assert.Empty(sinks["traces/unused"].Batches);
    }

    [Fact]
    public async Task ConsumeAsync_RouteToSeveralPipelines_EachGetsTheItems()
    {
        var (connector, sinks) = Build<Traces>(
            """
            table:
              - condition: attributes["tenant"] == "acme"
                pipelines: [traces/a, traces/b]
            """,
            "traces/a", "traces/b");

        await connector.ConsumeAsync(Traces(("acme", ["a1"])), default);

        Assert.Equal(["acme:a1"], Names(sinks["traces/a"].Batches));
        Assert.Equal(["acme:a1"], Names(sinks["traces/b"].Batches));
    }

    [Fact]
    public async Task ConsumeAsync_SpanContext_SplitsSpansKeepingResourceAndScope()
    {
        var (connector, sinks) = Build<Traces>(
            """
            default_pipelines: [traces/rest]
            table:
              - context: span
                condition: IsMatch(name, "^GET ")
                pipelines: [traces/get]
            """,
            "traces/get", "traces/rest");

        await connector.ConsumeAsync(Traces(("acme", ["GET /a", "POST /b", "GET /c"]), ("ecorp", ["POST /d"])), default);

        Assert.Equal(["acme:GET /a", "acme:GET /c"], Names(sinks["traces/get"].Batches));
        Assert.Equal(["acme:POST /b", "ecorp:POST /d"], Names(sinks["traces/rest"].Batches));
        var moved = sinks["traces/get"].Batches[0].Request.ResourceSpans[0].Resource;
        var kept = sinks["traces/rest"].Batches[0].Request.ResourceSpans[0].Resource;
        Assert.NotSame(moved, kept);
    }

    [Fact]
    public async Task ConsumeAsync_SpanRouteThenResourceRoute_ResourceRouteSeesOnlyTheRest()
    {
        var (connector, sinks) = Build<Traces>(
            """
            default_pipelines: [traces/rest]
            table:
              - condition: span.name == "slow"
                pipelines: [traces/slow]
              - condition: resource.attributes["tenant"] == "acme"
                pipelines: [traces/acme]
            """,
            "traces/slow", "traces/acme", "traces/rest");

        await connector.ConsumeAsync(Traces(("acme", ["slow", "fast"]), ("ecorp", ["slow", "other"])), default);

        Assert.Equal(["acme:slow", "ecorp:slow"], Names(sinks["traces/slow"].Batches));
        Assert.Equal(["acme:fast"], Names(sinks["traces/acme"].Batches));
        Assert.Equal(["ecorp:other"], Names(sinks["traces/rest"].Batches));
    }

    [Fact]
    public async Task ConsumeAsync_LogContext_SplitsLogRecords()
    {
        var (connector, sinks) = Build<Logs>(
            """
            default_pipelines: [logs/cheap]
            table:
              - context: log
                condition: severity_number >= SEVERITY_NUMBER_ERROR
                pipelines: [logs/errors]
              - condition: attributes["tenant"] == "acme"
                pipelines: [logs/acme]
            """,
            "logs/errors", "logs/acme", "logs/cheap");

        await connector.ConsumeAsync(Logs(("acme", ["error 1", "info 1"]), ("ecorp", ["info 2", "error 2"])), default);

        Assert.Equal(["acme:error 1", "ecorp:error 2"], Names(sinks["logs/errors"].Batches));
        Assert.Equal(["acme:info 1"], Names(sinks["logs/acme"].Batches));
        Assert.Equal(["ecorp:info 2"], Names(sinks["logs/cheap"].Batches));
    }

    [Fact]
    public async Task ConsumeAsync_MetricContext_MovesWholeMetrics()
    {
        var (connector, sinks) = Build<Metrics>(
            """
            default_pipelines: [metrics/rest]
            table:
              - context: metric
                condition: name == "http.requests"
                pipelines: [metrics/http]
            """,
            "metrics/http", "metrics/rest");

        await connector.ConsumeAsync(Metrics(("acme", ["http.requests", "cpu"], ["h1", "h2"])), default);

        Assert.Equal(["acme:http.requests:h1", "acme:http.requests:h2"], Names(sinks["metrics/http"].Batches));
        Assert.Equal(["acme:cpu:h1", "acme:cpu:h2"], Names(sinks["metrics/rest"].Batches));
    }

    [Fact]
    public async Task ConsumeAsync_DataPointContext_MovesSinglePointsWithTheMetricDescriptor()
    {
        var (connector, sinks) = Build<Metrics>(
            """
            default_pipelines: [metrics/rest]
            table:
              - condition: datapoint.attributes["host"] == "h1"
                pipelines: [metrics/h1]
            """,
            "metrics/h1", "metrics/rest");

        await connector.ConsumeAsync(Metrics(("acme", ["cpu", "mem"], ["h1", "h2"]), ("ecorp", ["cpu"], ["h1"])), default);

        Assert.Equal(["acme:cpu:h1", "acme:mem:h1", "ecorp:cpu:h1"], Names(sinks["metrics/h1"].Batches));
        Assert.Equal(["acme:cpu:h2", "acme:mem:h2"], Names(sinks["metrics/rest"].Batches));
        Assert.Equal("1", sinks["metrics/h1"].Batches[0].Request.ResourceMetrics[0].ScopeMetrics[0].Metrics[0].Unit);
    }

    [Fact]
    public async Task ConsumeAsync_RouteContextTheSignalLacks_NeverMatches()
    {
        // One routing config serves traces and logs pipelines alike: a log route just never matches spans.
        var (connector, sinks) = Build<Traces>(
            """
            default_pipelines: [traces/rest]
            table:
              - context: log
                condition: severity_number >= SEVERITY_NUMBER_ERROR
                pipelines: [traces/never]
            """,
            "traces/never", "traces/rest");

        await connector.ConsumeAsync(Traces(("acme", ["a1"])), default);

        Assert.Empty(sinks["traces/never"].Batches);
        Assert.Equal(["acme:a1"], Names(sinks["traces/rest"].Batches));
    }

    [Fact]
    public async Task ConsumeAsync_RequestContext_RoutesByClientMetadata_PartsKeepTheClient()
    {
        var (connector, sinks) = Build<Logs>(
            """
            default_pipelines: [logs/other]
            table:
              - context: request
                condition: request["X-Tenant"] == "acme"
                pipelines: [logs/acme]
              - context: request
                condition: request["X-Tenant"] != "acme"
                pipelines: [logs/notacme]
            """,
            "logs/acme", "logs/notacme", "logs/other");
        var acme = new ClientInfo("10.0.0.1", [new KeyValuePair<string, string[]>("x-tenant", ["acme"])]);
        var ecorp = new ClientInfo("10.0.0.2", [new KeyValuePair<string, string[]>("X-Tenant", ["ecorp"])]);

        await connector.ConsumeAsync(Logs(("a", ["info 1"])).WithClient(acme), default);
        await connector.ConsumeAsync(Logs(("e", ["info 2"])).WithClient(ecorp), default);
        await connector.ConsumeAsync(Logs(("n", ["info 3"])), default);

        Assert.Equal(["a:info 1"], Names(sinks["logs/acme"].Batches));
        Assert.Equal(["e:info 2"], Names(sinks["logs/notacme"].Batches));
        Assert.Equal(["n:info 3"], Names(sinks["logs/other"].Batches));
        Assert.Equal("10.0.0.1", sinks["logs/acme"].Batches[0].Client.Address);
        Assert.True(sinks["logs/acme"].Batches[0].Client.TryGetFirst("X-TENANT", out string tenant));
        Assert.Equal("acme", tenant);
        Assert.Single(_log.Entries, e => e.EventId == 3 && e.Level == LogLevel.Information);
    }

    [Fact]
    public async Task ConsumeAsync_ErrorModePropagate_RefusesTheBatchPermanently_NothingRouted()
    {
        var (connector, sinks) = Build<Traces>(
            """
            default_pipelines: [traces/rest]
            table:
              - condition: attributes["tenant"] == "acme"
                pipelines: [traces/acme]
              - condition: HasPrefix(attributes["tenant"], "x")
                pipelines: [traces/x]
            """,
            "traces/acme", "traces/x", "traces/rest");
        var data = Traces(("acme", ["a1"]), ("ecorp", ["e1"]));
        data.Request.ResourceSpans[1].Resource.Attributes[0] = Attr("tenant", 42);

        var error = await Assert.ThrowsAsync<PermanentException>(async () => await connector.ConsumeAsync(data, default));

        Assert.Equal("failed to eval condition: HasPrefix(attributes[\"tenant\"], \"x\"), HasPrefix: expected string but got int64", error.Message);
        Assert.Empty(sinks["traces/acme"].Batches);
        Assert.Empty(sinks["traces/x"].Batches);
        Assert.Empty(sinks["traces/rest"].Batches);
    }

    [Theory]
    [InlineData("ignore", 1)]
    [InlineData("silent", 0)]
    public async Task ConsumeAsync_ErrorModeIgnoreOrSilent_FailedItemFallsThroughToDefault(string mode, int warnings)
    {
        var (connector, sinks) = Build<Traces>(
            $$"""
            error_mode: {{mode}}
            default_pipelines: [traces/rest]
            table:
              - condition: HasPrefix(attributes["tenant"], "x")
                pipelines: [traces/x]
              - condition: attributes["tenant"] == "acme"
                pipelines: [traces/acme]
            """,
            "traces/acme", "traces/x", "traces/rest");
        var data = Traces(("acme", ["a1"]), ("ecorp", ["e1"]), ("xcorp", ["x1"]));
        data.Request.ResourceSpans[1].Resource.Attributes[0] = Attr("tenant", 42);

        await connector.ConsumeAsync(data, default);

        Assert.Equal(["xcorp:x1"], Names(sinks["traces/x"].Batches));
        Assert.Equal(["acme:a1"], Names(sinks["traces/acme"].Batches));
        Assert.Single(sinks["traces/rest"].Batches);
        Assert.Equal(42, sinks["traces/rest"].Batches[0].Request.ResourceSpans[0].Resource.Attributes[0].Value.IntValue);
        Assert.Equal(warnings, _log.Entries.Count(e => e.EventId == 1));
    }

    [Fact]
    public async Task ConsumeAsync_DownstreamFails_OtherGroupsStillDelivered_ErrorReturned()
    {
        var (connector, sinks) = Build<Traces>(
            """
            default_pipelines: [traces/rest]
            table:
              - condition: attributes["tenant"] == "acme"
                pipelines: [traces/acme]
            """,
            "traces/acme", "traces/rest");
        sinks["traces/acme"].Refuse = _ => new PermanentException("acme backend refused");

        var error = await Assert.ThrowsAsync<PermanentException>(async () => await connector.ConsumeAsync(Traces(("acme", ["a1"]), ("ecorp", ["e1"])), default));

        Assert.Equal("acme backend refused", error.Message);
        Assert.Equal(["ecorp:e1"], Names(sinks["traces/rest"].Batches));
    }

    [Fact]
    public void CreateConnector_UnknownPipeline_FailsWithOtelcolText()
    {
        var config = new RoutingConfig();
        Assert.Empty(Yaml.Load("connectors::routing", config, "default_pipelines: [traces/gone]\ntable: [{condition: 'true', pipelines: [traces/a, traces/missing]}]"));
        var next = new Dictionary<PipelineId, IConsumer<Traces>> { [new PipelineId(Signal.Traces, "a")] = new SinkConsumer<Traces>() };

        var error = Assert.Throws<InvalidOperationException>(() => new RoutingFactory().CreateConnector<Traces, Traces>(TestSettings.For(ComponentKind.Connector, "routing"), config, next));

        Assert.Equal("pipeline not found: missing consumer: \"traces/gone\"", error.Message);
    }

    [Fact]
    public async Task CreateConnector_DuplicateRoute_IgnoredWithWarning()
    {
        var (connector, sinks) = Build<Traces>(
            """
            table:
              - condition: attributes["tenant"] == "acme"
                pipelines: [traces/a]
              - context: resource
                condition: attributes["tenant"] == "acme"
                pipelines: [traces/b]
            """,
            "traces/a", "traces/b");

        await connector.ConsumeAsync(Traces(("acme", ["a1"])), default);

        Assert.Single(_log.Entries, e => e.EventId == 2);
        Assert.Single(sinks["traces/a"].Batches);
        Assert.Empty(sinks["traces/b"].Batches);
    }

    [Fact]
    public async Task ConsumeAsync_ReadOnlyBatch_RoutedFromACopy_SharedBatchUntouched()
    {
        var (connector, sinks) = Build<Traces>(
            """
            default_pipelines: [traces/rest]
            table:
              - context: span
                condition: name == "a1"
                pipelines: [traces/a]
            """,
            "traces/a", "traces/rest");
        var data = Traces(("acme", ["a1", "a2"]));
        data.MarkReadOnly();

        await connector.ConsumeAsync(data, default);

        Assert.Equal(["acme:a1"], Names(sinks["traces/a"].Batches));
        Assert.Equal(["acme:a2"], Names(sinks["traces/rest"].Batches));
        Assert.Equal(["acme:a1", "acme:a2"], Names([data]));
    }

    [Fact]
    public void Capabilities_Mutating_BecauseTheBatchIsTakenApart()
    {
        var (connector, _) = Build<Logs>("table: [{condition: 'true', pipelines: [logs/a]}]", "logs/a");

        Assert.True(connector.Capabilities.MutatesData);
    }

    private (IConnector<T> Connector, Dictionary<string, SinkConsumer<T>> Sinks) Build<T>(string yaml, params string[] pipelines)
        where T : TelemetryData
    {
        var config = new RoutingConfig();
        Assert.Empty(Yaml.Load("connectors::routing", config, yaml));
        var sinks = new Dictionary<string, SinkConsumer<T>>();
        var next = new Dictionary<PipelineId, IConsumer<T>>();
        foreach (string p in pipelines)
        {
            Assert.True(PipelineId.TryParse(p, out var id, out _));
            sinks[p] = new SinkConsumer<T>();
            next[id] = sinks[p];
        }

        var connector = new RoutingFactory().CreateConnector<T, T>(TestSettings.For(ComponentKind.Connector, "routing", _log), config, next);
        return (connector, sinks);
    }
}
