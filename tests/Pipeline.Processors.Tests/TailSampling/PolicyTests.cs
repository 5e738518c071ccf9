using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Processors.TailSampling;
using Xunit;
using static Pipeline.Processors.Tests.TailSampling.TraceBuilder;

namespace Pipeline.Processors.Tests.TailSampling;

public sealed class PolicyTests
{
    [Fact]
    public void AlwaysSample_AnyTrace_Sampled()
    {
        var trace = Trace(Span(1, "a"));

        var decision = new AlwaysSample().Evaluate(trace);

        Assert.Equal(Decision.Sampled, decision);
    }

    [Theory]
    [InlineData(100, 0, 2000, true)]
    [InlineData(100, 0, 99, false)]
    [InlineData(100, 500, 500, true)]
    [InlineData(100, 500, 501, false)]
    public void Latency_DurationFromEarliestStartToLatestEnd_Decides(long threshold, long upper, long lastEndMs, bool sampled)
    {
        // Two spans: 1000–1050 and 1040–(1000 + lastEndMs); only the overall extent counts.
        var trace = Trace(Span(1, "a", 1000, 1050), Span(1, "b", 1040, 1000 + lastEndMs));

        var decision = new LatencyPolicy(threshold, upper).Evaluate(trace);

        Assert.Equal(sampled ? Decision.Sampled : Decision.NotSampled, decision);
    }

    [Fact]
    public void StatusCode_OneErrorSpan_Sampled()
    {
        var policy = new StatusCodePolicy(["ERROR"]);

        var withError = policy.Evaluate(Trace(Span(1, "a"), Span(1, "b", code: Status.Types.StatusCode.Error)));
        var withoutError = policy.Evaluate(Trace(Span(1, "a", code: Status.Types.StatusCode.Ok)));

        Assert.Equal(Decision.Sampled, withError);
        Assert.Equal(Decision.NotSampled, withoutError);
    }

    [Fact]
    public void StatusCode_UnsetListed_MatchesSpanWithoutStatus()
    {
        var span = Span(1, "a");
        span.Status = null;

        var decision = new StatusCodePolicy(["UNSET"]).Evaluate(Trace(span));

        Assert.Equal(Decision.Sampled, decision);
    }

    [Fact]
    public void StringAttribute_ExactValueOnSpan_Sampled()
    {
        var policy = new StringAttributePolicy("http.route", ["/checkout"], null, 0, invert: false);

        var hit = policy.Evaluate(Trace(Span(1, "a").With("http.route", Str("/checkout"))));
        var miss = policy.Evaluate(Trace(Span(1, "a").With("http.route", Str("/checkout/x"))));
        var wrongType = policy.Evaluate(Trace(Span(1, "a").With("http.route", Int(1))));

        Assert.Equal(Decision.Sampled, hit);
        Assert.Equal(Decision.NotSampled, miss);
        Assert.Equal(Decision.NotSampled, wrongType);
    }

    [Fact]
    public void StringAttribute_ValueOnResource_Sampled()
    {
        var policy = new StringAttributePolicy("env", ["prod"], null, 0, invert: false);
        var rs = Rs(new KeyValue { Key = "env", Value = Str("prod") }, Span(1, "a"));

        var decision = policy.Evaluate(Trace(rs));

        Assert.Equal(Decision.Sampled, decision);
    }

    [Fact]
    public void StringAttribute_Regex_MatchesUnanchored()
    {
        var policy = new StringAttributePolicy("url", null, [new Regex("health")], 10, invert: false);

        var first = policy.Evaluate(Trace(Span(1, "a").With("url", Str("/api/healthz"))));
        var cached = policy.Evaluate(Trace(Span(1, "a").With("url", Str("/api/healthz"))));
        var miss = policy.Evaluate(Trace(Span(1, "a").With("url", Str("/api/orders"))));

        Assert.Equal(Decision.Sampled, first);
        Assert.Equal(Decision.Sampled, cached);
        Assert.Equal(Decision.NotSampled, miss);
    }

    [Fact]
    public void StringAttribute_Invert_MatchIsInvertNotSampled_MissingKeyIsInvertSampled()
    {
        var policy = new StringAttributePolicy("http.route", ["/health"], null, 0, invert: true);

        var match = policy.Evaluate(Trace(Span(1, "a").With("http.route", Str("/health"))));
        var other = policy.Evaluate(Trace(Span(1, "a").With("http.route", Str("/orders"))));
        var missing = policy.Evaluate(Trace(Span(1, "a")));

        Assert.Equal(Decision.InvertNotSampled, match);
        Assert.Equal(Decision.InvertSampled, other);
        Assert.Equal(Decision.InvertSampled, missing);
    }

    [Theory]
    [InlineData(500L, 500L, 599L, true)]
    [InlineData(600L, 500L, 599L, false)]
    [InlineData(499L, 500L, null, false)]
    [InlineData(100000L, 500L, null, true)]
    [InlineData(-5L, null, 0L, true)]
    public void NumericAttribute_Bounds_Inclusive(long value, long? min, long? max, bool sampled)
    {
        var policy = new NumericAttributePolicy("http.status_code", min, max, invert: false);

        var decision = policy.Evaluate(Trace(Span(1, "a").With("http.status_code", Int(value))));

        Assert.Equal(sampled ? Decision.Sampled : Decision.NotSampled, decision);
    }

    [Fact]
    public void NumericAttribute_Invert_InRangeIsInvertNotSampled()
    {
        var policy = new NumericAttributePolicy("code", 1, 10, invert: true);

        var inRange = policy.Evaluate(Trace(Span(1, "a").With("code", Int(5))));
        var outOfRange = policy.Evaluate(Trace(Span(1, "a").With("code", Int(50))));

        Assert.Equal(Decision.InvertNotSampled, inRange);
        Assert.Equal(Decision.InvertSampled, outOfRange);
    }

    [Fact]
    public void BooleanAttribute_MatchesValueAndType()
    {
        var policy = new BooleanAttributePolicy("debug", expected: true, invert: false);

        var hit = policy.Evaluate(Trace(Span(1, "a"), Span(1, "b").With("debug", Bool(true))));
        var wrongValue = policy.Evaluate(Trace(Span(1, "a").With("debug", Bool(false))));
        var stringTrue = policy.Evaluate(Trace(Span(1, "a").With("debug", Str("true"))));

        Assert.Equal(Decision.Sampled, hit);
        Assert.Equal(Decision.NotSampled, wrongValue);
        Assert.Equal(Decision.NotSampled, stringTrue);
    }

    [Fact]
    public void Probabilistic_Hash_IsFnv1a64OfSaltThenTraceId()
    {
        // Published FNV-1a 64 test vectors: "" and "a".
        ulong empty = ProbabilisticPolicy.Hash(string.Empty, []);
        ulong a = ProbabilisticPolicy.Hash("a", []);
        ulong split = ProbabilisticPolicy.Hash("a", []) == ProbabilisticPolicy.Hash(string.Empty, "a"u8) ? 1UL : 0UL;

        Assert.Equal(0xcbf29ce484222325UL, empty);
        Assert.Equal(0xaf63dc4c8601ec8cUL, a);
        Assert.Equal(1UL, split);
    }

    [Theory]
    [InlineData(0.0, 0UL)]
    [InlineData(1.0, ulong.MaxValue)]
    [InlineData(2.0, ulong.MaxValue)]
    [InlineData(0.5, 9223372036854775807UL)]  // (2^64−1)/2 = 2^63−0.5 fits 64 bits; truncated
    [InlineData(0.25, 4611686018427387903UL)]
    [InlineData(0.3, 5534023222112865279UL)]  // the product rounded to 64 significant bits, then truncated
    public void Probabilistic_Threshold_AsGoBigFloat(double ratio, ulong expected)
    {
        ulong threshold = ProbabilisticPolicy.Threshold(ratio);

        Assert.Equal(expected, threshold);
    }

    [Fact]
    public void Probabilistic_DecisionFollowsHashOfSaltAndId()
    {
        var sampler = new ProbabilisticPolicy("salt", 30);
        int kept = 0;
        int agreed = 0;

        var random = new Random(42);
        for (int i = 0; i < 2000; i++)
        {
            // Random IDs, as real ones are: FNV-1a's top bits barely move when only the last bytes differ.
            var id = new byte[16];
            random.NextBytes(id);
            var trace = new TraceData(0, id, DateTimeOffset.UnixEpoch);
            bool expected = ProbabilisticPolicy.Hash("salt", id) <= ProbabilisticPolicy.Threshold(0.3);
            bool sampled = sampler.Evaluate(trace) == Decision.Sampled;
            kept += sampled ? 1 : 0;
            agreed += sampled == expected ? 1 : 0;
        }

        Assert.Equal(2000, agreed);
        Assert.InRange(kept, 500, 700);
    }

    [Fact]
    public void Probabilistic_EmptySalt_UsesOtelcolDefault()
    {
        var defaulted = new ProbabilisticPolicy(string.Empty, 50);
        var named = new ProbabilisticPolicy(ProbabilisticPolicy.DefaultHashSalt, 50);
        int same = 0;

        for (int i = 0; i < 200; i++)
        {
            var trace = new TraceData(0, Id(i), DateTimeOffset.UnixEpoch);
            same += defaulted.Evaluate(trace) == named.Evaluate(trace) ? 1 : 0;
        }

        Assert.Equal(200, same);
    }

    [Fact]
    public void RateLimiting_SpansPerSecond_ResetsEachSecond()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddSeconds(100));
        var policy = new RateLimitingPolicy(5, time);
        var twoSpans = Trace(Span(1, "a"), Span(1, "b"));

        var first = policy.Evaluate(twoSpans);
        var second = policy.Evaluate(twoSpans);
        var third = policy.Evaluate(twoSpans);
        time.Advance(TimeSpan.FromSeconds(1));
        var nextSecond = policy.Evaluate(twoSpans);

        Assert.Equal(Decision.Sampled, first);
        Assert.Equal(Decision.Sampled, second);
        Assert.Equal(Decision.NotSampled, third);
        Assert.Equal(Decision.Sampled, nextSecond);
    }

    [Theory]
    [InlineData(2, 0, 3, true)]
    [InlineData(4, 0, 3, false)]
    [InlineData(1, 2, 3, false)]
    [InlineData(3, 3, 3, true)]
    public void SpanCount_MinAndMax(int min, int max, int spans, bool sampled)
    {
        var trace = Trace(Span(1, "a"));
        trace.SpanCount = spans;

        var decision = new SpanCountPolicy(min, max).Evaluate(trace);

        Assert.Equal(sampled ? Decision.Sampled : Decision.NotSampled, decision);
    }

    [Fact]
    public void TraceState_KeyWithListedValue_Sampled()
    {
        var policy = new TraceStatePolicy("vendor", new HashSet<string>(["keep"], StringComparer.Ordinal));

        var hit = policy.Evaluate(Trace(Span(1, "a", traceState: "ot=th:0, vendor=keep")));
        var otherValue = policy.Evaluate(Trace(Span(1, "a", traceState: "vendor=drop")));
        var otherKey = policy.Evaluate(Trace(Span(1, "a", traceState: "xvendor=keep")));

        Assert.Equal(Decision.Sampled, hit);
        Assert.Equal(Decision.NotSampled, otherValue);
        Assert.Equal(Decision.NotSampled, otherKey);
    }

    [Fact]
    public void And_AllSubPoliciesMustSample()
    {
        var policy = new AndPolicy([new StatusCodePolicy(["ERROR"]), new StringAttributePolicy("svc", ["pay"], null, 0, false)]);

        var both = policy.Evaluate(Trace(Span(1, "a", code: Status.Types.StatusCode.Error).With("svc", Str("pay"))));
        var one = policy.Evaluate(Trace(Span(1, "a", code: Status.Types.StatusCode.Error)));

        Assert.Equal(Decision.Sampled, both);
        Assert.Equal(Decision.NotSampled, one);
    }

    [Fact]
    public void And_InvertNotSampledSubPolicy_NotSampled()
    {
        var policy = new AndPolicy([new AlwaysSample(), new StringAttributePolicy("route", ["/health"], null, 0, invert: true)]);

        var health = policy.Evaluate(Trace(Span(1, "a").With("route", Str("/health"))));
        var other = policy.Evaluate(Trace(Span(1, "a").With("route", Str("/orders"))));

        Assert.Equal(Decision.NotSampled, health);
        Assert.Equal(Decision.Sampled, other);
    }

    [Fact]
    public void Drop_AllSubPoliciesMatch_Dropped()
    {
        var policy = new DropPolicy([new StringAttributePolicy("route", ["/health"], null, 0, false)]);

        var health = policy.Evaluate(Trace(Span(1, "a").With("route", Str("/health"))));
        var other = policy.Evaluate(Trace(Span(1, "a").With("route", Str("/orders"))));

        Assert.Equal(Decision.Dropped, health);
        Assert.Equal(Decision.NotSampled, other);
    }

    [Fact]
    public void Composite_SharesPerSecond_FallsThroughInOrder()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddSeconds(10));
        // Errors get 2 spans/s, everything else (always_sample) 1 span/s.
        var policy = new CompositePolicy([new StatusCodePolicy(["ERROR"]), new AlwaysSample()], [2, 1], time);
        var error = Trace(Span(1, "a", code: Status.Types.StatusCode.Error));
        var ok = Trace(Span(2, "b"));

        var e1 = policy.Evaluate(error);
        var e2 = policy.Evaluate(error);
        var e3 = policy.Evaluate(error); // error share used up: falls through to always_sample's share
        var o1 = policy.Evaluate(ok);    // always_sample's share used up
        time.Advance(TimeSpan.FromSeconds(1));
        var o2 = policy.Evaluate(ok);

        Assert.Equal([Decision.Sampled, Decision.Sampled, Decision.Sampled, Decision.NotSampled, Decision.Sampled], [e1, e2, e3, o1, o2]);
    }
}
