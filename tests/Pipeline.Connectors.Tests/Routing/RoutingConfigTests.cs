using Pipeline.Connectors.Routing;
using Pipeline.Testing;
using Xunit;

namespace Pipeline.Connectors.Tests.Routing;

public class RoutingConfigTests
{
    [Fact]
    public void Defaults_PropagateNoDefaultPipelinesEmptyTable()
    {
        var config = (RoutingConfig)new RoutingFactory().CreateDefaultConfig();

        Assert.Equal(RoutingErrorMode.Propagate, config.ErrorMode);
        Assert.Empty(config.DefaultPipelines);
        Assert.Empty(config.Table);
    }

    [Theory]
    [InlineData("default_pipelines: [traces/x]", "connectors::routing::table: invalid routing table: the routing table is empty.")]
    [InlineData("table: [{pipelines: [traces/a]}]", "connectors::routing::table::0: invalid route: no condition or statement provided.")]
    [InlineData("table: [{condition: 'true', statement: 'route()', pipelines: [traces/a]}]", "connectors::routing::table::0: invalid route: both condition and statement provided.")]
    [InlineData("table: [{condition: 'true'}]", "connectors::routing::table::0: invalid route: no pipelines defined.")]
    [InlineData("table: [{condition: 'true', pipelines: []}]", "connectors::routing::table::0: invalid route: no pipelines defined.")]
    [InlineData("table: [{context: scope, condition: 'true', pipelines: [traces/a]}]", "connectors::routing::table::0::context: invalid context: scope.")]
    [InlineData("table: [{context: request, statement: 'route()', pipelines: [traces/a]}]", "connectors::routing::table::0: \"request\" context requires a 'condition'.")]
    [InlineData("table: [{context: request, condition: 'request[\"X-Tenant\"] = \"acme\"', pipelines: [traces/a]}]", "connectors::routing::table::0::condition: condition does not contain a valid comparator.")]
    [InlineData("table: [{context: request, condition: 'request[\"a\"] == \"x\" and request[\"b\"] != \"y\"', pipelines: [traces/a]}]", "connectors::routing::table::0::condition: condition contains multiple comparators.")]
    [InlineData("table: [{context: request, condition: 'attributes[\"a\"] == \"x\"', pipelines: [traces/a]}]", "connectors::routing::table::0::condition: condition must have format 'request[\"<name>\"] <comparator> <value>'.")]
    [InlineData("table: [{context: request, condition: 'request[\"a\"] == x', pipelines: [traces/a]}]", "connectors::routing::table::0::condition: condition must have format 'request[\"<name>\"] <comparator> \"<value>\"'.")]
    [InlineData("table: [{condition: 'attributes[\"a\"] == ', pipelines: [traces/a]}]", "connectors::routing::table::0::condition: unable to parse OTTL condition \"attributes[\"a\"] == \": expected a value at position 19.")]
    [InlineData("table: [{context: span, condition: 'nme == \"x\"', pipelines: [traces/a]}]", "connectors::routing::table::0::condition: unable to parse OTTL condition \"nme == \"x\"\": unknown path \"nme\" for the span context at position 0.")]
    [InlineData("table: [{statement: 'drop() where true', pipelines: [traces/a]}]", "connectors::routing::table::0::statement: unable to parse OTTL statement \"drop() where true\": a routing statement must be route() or route() where <condition>.")]
    [InlineData("table: [{condition: 'true', pipelines: [bogus/a]}]", "connectors::routing::table::0::pipelines::0: unknown pipeline signal: \"bogus\".")]
    [InlineData("error_mode: loud\ntable: [{condition: 'true', pipelines: [traces/a]}]", "connectors::routing::error_mode: unknown error mode loud.")]
    [InlineData("match_once: true\ntable: [{condition: 'true', pipelines: [traces/a]}]", "connectors::routing::match_once: match_once was removed in otelcol v0.120.0: each item goes to the first route that matches it.")]
    [InlineData("table: [{condition: 'true', pipelines: [traces/a], exporters: [x]}]", "connectors::routing::table::0: has invalid keys: exporters.")]
    public void Rejects_InvalidConfig(string yaml, string expected)
    {
        var errors = Yaml.Load("connectors::routing", new RoutingConfig(), yaml);

        Assert.Equal([expected], errors);
    }

    [Fact]
    public void Rejects_UnparsableCondition_NamingThePosition()
    {
        var errors = Yaml.Load("connectors::routing", new RoutingConfig(), "table: [{context: log, condition: 'severity_number < ', pipelines: [logs/a]}]");

        var error = Assert.Single(errors);
        Assert.Contains("at position", error, StringComparison.Ordinal);
        Assert.StartsWith("connectors::routing::table::0::condition: unable to parse OTTL condition \"severity_number < \"", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("attributes[\"tenant\"] == \"a\"", "Resource")]
    [InlineData("resource.attributes[\"tenant\"] == \"a\"", "Resource")]
    [InlineData("span.name == \"GET /\"", "Span")]
    [InlineData("log.severity_number >= SEVERITY_NUMBER_ERROR", "Log")]
    [InlineData("metric.name == \"m\"", "Metric")]
    [InlineData("datapoint.attributes[\"k\"] == \"v\"", "DataPoint")]
    public void Accepts_ConditionWithoutContext_InferringIt(string condition, string expected)
    {
        var config = new RoutingConfig();

        var errors = Yaml.Load("connectors::routing", config, $"table: [{{condition: '{condition}', pipelines: [traces/a]}}]");

        Assert.Empty(errors);
        Assert.Equal(expected, config.Compiled![0].Context.ToString());
    }

    [Fact]
    public void Accepts_UnprefixedSpanPathWithoutContext_AsResourceError()
    {
        // otelcol falls back to the resource context when a condition names no context, where "name" is unknown.
        var errors = Yaml.Load("connectors::routing", new RoutingConfig(), "table: [{condition: 'name == \"x\"', pipelines: [traces/a]}]");

        Assert.Equal(["connectors::routing::table::0::condition: unable to parse OTTL condition \"name == \"x\"\": unknown path \"name\" for the resource context at position 0."], errors);
    }

    [Theory]
    [InlineData("route() where attributes[\"tenant\"] == \"a\"")]
    [InlineData("  route()   where   attributes[\"tenant\"] == \"a\" ")]
    [InlineData("route()")]
    public void Accepts_Statement(string statement)
    {
        var config = new RoutingConfig();

        var errors = Yaml.Load("connectors::routing", config, $"error_mode: ignore\ndefault_pipelines: [traces/d]\ntable: [{{statement: '{statement}', pipelines: [traces/a, traces/b]}}]");

        Assert.Empty(errors);
        Assert.Equal(RoutingErrorMode.Ignore, config.ErrorMode);
        Assert.Equal(["traces/d"], config.DefaultPipelines);
        Assert.Equal(2, config.Compiled![0].Pipelines.Length);
    }

    [Fact]
    public void Accepts_RequestCondition()
    {
        var config = new RoutingConfig();

        var errors = Yaml.Load("connectors::routing", config, "table: [{context: request, condition: 'request[\"X-Tenant\"] != \"acme\"', pipelines: [logs/a]}]");

        Assert.Empty(errors);
        var request = config.Compiled![0].Request!;
        Assert.Equal("X-Tenant", request.Name);
        Assert.Equal("acme", request.Value);
        Assert.False(request.Equal);
    }
}
