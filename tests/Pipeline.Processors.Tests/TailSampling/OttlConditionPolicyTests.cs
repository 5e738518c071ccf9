using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Processors.TailSampling;
using Pipeline.Testing;
using Xunit;
using static Pipeline.Processors.Tests.TailSampling.TraceBuilder;

namespace Pipeline.Processors.Tests.TailSampling;

public sealed class OttlConditionPolicyTests
{
    private readonly LogRecorder _log = new();

    [Fact]
    public void Evaluate_SpanConditionTrueForOneSpan_Sampled()
    {
        var policy = Policy(span: ["attributes[\"http.route\"] == \"/checkout\"", "IsMatch(name, \"^never\")"]);

        var hit = policy.Evaluate(Trace(Span(1, "a"), Span(1, "b").With("http.route", new AnyValue { StringValue = "/checkout" })));
        var miss = policy.Evaluate(Trace(Span(1, "a").With("http.route", new AnyValue { StringValue = "/cart" })));

        Assert.Equal(Decision.Sampled, hit);
        Assert.Equal(Decision.NotSampled, miss);
    }

    [Fact]
    public void Evaluate_SpanConditionReadsResource_Sampled()
    {
        var policy = Policy(span: ["resource.attributes[\"service.name\"] == \"svc\" and kind == SPAN_KIND_SERVER"]);
        var server = Span(1, "a");
        server.Kind = OpenTelemetry.Proto.Trace.V1.Span.Types.SpanKind.Server;

        var sampled = policy.Evaluate(Trace(Span(1, "client"), server));
        var notSampled = policy.Evaluate(Trace(Span(1, "client")));

        Assert.Equal(Decision.Sampled, sampled);
        Assert.Equal(Decision.NotSampled, notSampled);
    }

    [Fact]
    public void Evaluate_SpanEventConditionTrueForOneEvent_Sampled()
    {
        var policy = Policy(spanevent: ["name == \"exception\" and span.name == \"db\""]);
        var db = Span(1, "db");
        db.Events.Add(new OpenTelemetry.Proto.Trace.V1.Span.Types.Event { Name = "retry" });
        db.Events.Add(new OpenTelemetry.Proto.Trace.V1.Span.Types.Event { Name = "exception" });
        var other = Span(1, "http");
        other.Events.Add(new OpenTelemetry.Proto.Trace.V1.Span.Types.Event { Name = "exception" });

        var sampled = policy.Evaluate(Trace(Span(1, "a"), db));
        var notSampled = policy.Evaluate(Trace(other));

        Assert.Equal(Decision.Sampled, sampled);
        Assert.Equal(Decision.NotSampled, notSampled);
    }

    [Fact]
    public void Evaluate_ErrorModePropagate_FirstFailureEndsEvaluation_NotSampled()
    {
        // The failing condition sits on the first span; the second span would match, but evaluation stops (otelcol
        // returns the error and the policy casts no vote).
        var policy = Policy(span: ["HasPrefix(attributes[\"n\"], \"x\")", "name == \"b\""], mode: "propagate");

        var decision = policy.Evaluate(Trace(Span(1, "a").With("n", new AnyValue { IntValue = 1 }), Span(1, "b")));

        Assert.Equal(Decision.NotSampled, decision);
        Assert.Single(_log.Entries, e => e.EventId == 10);
    }

    [Theory]
    [InlineData("ignore", 2)]
    [InlineData("silent", 0)]
    public void Evaluate_ErrorModeIgnoreOrSilent_FailureIsFalse_EvaluationGoesOn(string mode, int logged)
    {
        // HasPrefix fails on both spans (an int on "a", nil on "b"); the second condition then matches "b".
        var policy = Policy(span: ["HasPrefix(attributes[\"n\"], \"x\")", "name == \"b\""], mode: mode);

        var decision = policy.Evaluate(Trace(Span(1, "a").With("n", new AnyValue { IntValue = 1 }), Span(1, "b")));

        Assert.Equal(Decision.Sampled, decision);
        Assert.Equal(logged, _log.Entries.Count(e => e.EventId == 11));
    }

    [Fact]
    public void Load_OttlConditionPolicy_BindsEveryKey()
    {
        var config = new TailSamplingConfig();

        var errors = Yaml.Load("processors::test", config, """
            policies:
              - name: checkout
                type: ottl_condition
                ottl_condition:
                  error_mode: ignore
                  span: ['attributes["http.route"] == "/checkout"']
                  spanevent: ['name == "exception"', 'attributes["x"] == 1']
            """);

        Assert.Empty(errors);
        var p = config.Policies[0];
        Assert.Equal("ignore", p.OttlErrorMode);
        Assert.Equal(["attributes[\"http.route\"] == \"/checkout\""], p.OttlSpan);
        Assert.Equal(["name == \"exception\"", "attributes[\"x\"] == 1"], p.OttlSpanEvent);
    }

    private IPolicyEvaluator Policy(List<string>? span = null, List<string>? spanevent = null, string mode = "propagate")
    {
        var config = new PolicyConfig { Name = "p", Type = "ottl_condition", OttlErrorMode = mode, OttlSpan = span ?? [], OttlSpanEvent = spanevent ?? [] };
        Assert.Null(PolicyBuilder.Check(config, PolicyConfig.Level.Top));
        return PolicyBuilder.Build(config, TimeProvider.System, _log.CreateLogger("tail"));
    }
}
