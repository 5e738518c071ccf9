using Pipeline.Processors.TailSampling;
using Pipeline.Testing;
using Xunit;

namespace Pipeline.Processors.Tests.TailSampling;

public sealed class TailSamplingConfigTests
{
    [Fact]
    public void CreateDefaultConfig_HasOtelcolDefaults()
    {
        var config = (TailSamplingConfig)new TailSamplingProcessorFactory().CreateDefaultConfig();

        Assert.Equal(TimeSpan.FromSeconds(30), config.DecisionWait);
        Assert.Equal(50000, config.NumTraces);
        Assert.Equal(0, config.ExpectedNewTracesPerSec);
        Assert.Equal(0, config.SampledCacheSize);
        Assert.Equal(0, config.NonSampledCacheSize);
        Assert.False(config.SampleOnFirstMatch);
        Assert.False(config.DropPendingTracesOnShutdown);
        Assert.Empty(config.Policies);
    }

    [Fact]
    public void Accepts_EveryPolicyType()
    {
        var config = new TailSamplingConfig();

        var errors = Yaml.Load("processors::test", config, """
            decision_wait: 10s
            num_traces: 100
            expected_new_traces_per_sec: 10
            decision_cache: {sampled_cache_size: 1000, non_sampled_cache_size: 500}
            sample_on_first_match: true
            drop_pending_traces_on_shutdown: true
            policies:
              - {name: p1, type: always_sample}
              - {name: p2, type: latency, latency: {threshold_ms: 5000, upper_threshold_ms: 10000}}
              - {name: p3, type: numeric_attribute, numeric_attribute: {key: key1, min_value: 50, max_value: 100, invert_match: true}}
              - {name: p4, type: probabilistic, probabilistic: {sampling_percentage: 10, hash_salt: salt}}
              - {name: p5, type: status_code, status_code: {status_codes: [ERROR, UNSET]}}
              - {name: p6, type: string_attribute, string_attribute: {key: key2, values: [value1, val*], enabled_regex_matching: true, cache_max_size: 10, invert_match: true}}
              - {name: p7, type: rate_limiting, rate_limiting: {spans_per_second: 35}}
              - {name: p8, type: span_count, span_count: {min_spans: 2, max_spans: 20}}
              - {name: p9, type: trace_state, trace_state: {key: key3, values: [value1, value2]}}
              - {name: p10, type: boolean_attribute, boolean_attribute: {key: key4, value: true, invert_match: true}}
              - name: p11
                type: and
                and:
                  and_sub_policy:
                    - {name: s1, type: numeric_attribute, numeric_attribute: {key: key1, min_value: 50}}
                    - {name: s2, type: string_attribute, string_attribute: {key: key2, values: [a]}}
              - name: p12
                type: drop
                drop: {drop_sub_policy: [{name: s1, type: string_attribute, string_attribute: {key: url.path, values: [/health]}}]}
              - name: p13
                type: composite
                composite:
                  max_total_spans_per_second: 1000
                  policy_order: [c1, c2]
                  composite_sub_policy:
                    - {name: c1, type: and, and: {and_sub_policy: [{name: x, type: always_sample}]}}
                    - {name: c2, type: always_sample}
                  rate_allocation: [{policy: c1, percent: 50}, {policy: c2, percent: 25}]
            """);

        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromSeconds(10), config.DecisionWait);
        Assert.Equal(100, config.NumTraces);
        Assert.Equal(1000, config.SampledCacheSize);
        Assert.Equal(500, config.NonSampledCacheSize);
        Assert.Equal(13, config.Policies.Count);
        Assert.Equal(50L, config.Policies[2].NumericMin);
        Assert.Equal(10000, config.Policies[1].LatencyUpperThresholdMs);
        Assert.Equal(2, config.Policies[10].AndSubPolicies.Count);
        Assert.Equal(["c1", "c2"], config.Policies[12].PolicyOrder);
        Assert.Equal(25, config.Policies[12].RateAllocation[1].Percent);
    }

    [Theory]
    [InlineData("policies: []", "processors::test::policies: no sampling policies are configured; at least one is required.")]
    [InlineData("policies: [{type: always_sample}]", "processors::test::policies::0: policy name cannot be empty.")]
    [InlineData("policies: [{name: a, type: always_sample}, {name: a, type: always_sample}]", "processors::test::policies::1: duplicate policy name \"a\".")]
    [InlineData("policies: [{name: a, type: nope}]", "processors::test::policies::0: failed to create policy evaluator for \"a\": unknown sampling policy type nope.")]
    [InlineData("policies: [{name: a, type: probabilistic, probabilistic: {sampling_percentage: -1}}]", "processors::test::policies::0: failed to create policy evaluator for \"a\": probabilistic::sampling_percentage must be between 0 and 100 (got -1).")]
    [InlineData("policies: [{name: a, type: status_code, status_code: {status_codes: [FAIL]}}]", "processors::test::policies::0: failed to create policy evaluator for \"a\": unknown status code \"FAIL\", supported: OK, ERROR, UNSET.")]
    [InlineData("policies: [{name: a, type: status_code}]", "processors::test::policies::0: failed to create policy evaluator for \"a\": expected at least one status code to filter on.")]
    [InlineData("policies: [{name: a, type: string_attribute, string_attribute: {values: [x]}}]", "processors::test::policies::0: failed to create policy evaluator for \"a\": string_attribute::key must be set.")]
    [InlineData("policies: [{name: a, type: numeric_attribute, numeric_attribute: {key: k}}]", "processors::test::policies::0: failed to create policy evaluator for \"a\": numeric_attribute needs min_value, max_value or both.")]
    [InlineData("policies: [{name: a, type: rate_limiting}]", "processors::test::policies::0: failed to create policy evaluator for \"a\": rate_limiting::spans_per_second must be greater than 0 (got 0).")]
    [InlineData("policies: [{name: a, type: ottl_condition, ottl_condition: {error_mode: ignore}}]", "processors::test::policies::0: failed to create policy evaluator for \"a\": expected at least one OTTL condition to filter on.")]
    [InlineData("policies: [{name: a, type: ottl_condition, ottl_condition: {error_mode: loud, span: ['true']}}]", "processors::test::policies::0: failed to create policy evaluator for \"a\": ottl_condition::error_mode: unknown error mode loud.")]
    [InlineData("policies: [{name: a, type: ottl_condition, ottl_condition: {span: ['name == ']}}]", "processors::test::policies::0: failed to create policy evaluator for \"a\": unable to parse OTTL condition \"name == \": expected a value at position 8.")]
    [InlineData("policies: [{name: a, type: ottl_condition, ottl_condition: {spanevent: ['severity_number > 1']}}]", "processors::test::policies::0: failed to create policy evaluator for \"a\": unable to parse OTTL condition \"severity_number > 1\": unknown path \"severity_number\" for the spanevent context at position 0.")]
    [InlineData("policies: [{name: a, type: ottl_condition, ottl_condition: {span: ['true'], spans: ['true']}}]", "processors::test::policies::0::ottl_condition: has invalid keys: spans.")]
    [InlineData("policies: [{name: a, type: and, and: {and_sub_policy: [{name: b, type: drop}]}}]", "processors::test::policies::0: failed to create policy evaluator for \"a\": failed to create policy evaluator for \"b\": unknown sampling policy type drop.")]
    [InlineData("policies: [{name: a, type: composite, composite: {max_total_spans_per_second: 10, policy_order: [b], composite_sub_policy: [{name: b, type: always_sample}], rate_allocation: [{policy: b, percent: 150}]}}]", "processors::test::policies::0: failed to create policy evaluator for \"a\": composite::rate_allocation percent for \"b\" must be between 0 and 100 (got 150).")]
    [InlineData("policies: [{name: a, type: composite, composite: {max_total_spans_per_second: 10, policy_order: [c], composite_sub_policy: [{name: b, type: always_sample}]}}]", "processors::test::policies::0: failed to create policy evaluator for \"a\": composite::policy_order names \"c\", which is not a composite_sub_policy.")]
    [InlineData("num_traces: 0\npolicies: [{name: a, type: always_sample}]", "processors::test::num_traces: must be greater than 0 (got 0).")]
    [InlineData("decision_wait: 0s\npolicies: [{name: a, type: always_sample}]", "processors::test::decision_wait: must be greater than 0 (got 0s).")]
    public void Rejects_InvalidPolicies(string yaml, string expected)
    {
        var errors = Yaml.Load("processors::test", new TailSamplingConfig(), yaml);

        Assert.Equal([expected], errors);
    }

    [Fact]
    public void Rejects_UnknownKeyInPolicySection()
    {
        var errors = Yaml.Load("processors::test", new TailSamplingConfig(), "policies: [{name: a, type: latency, latency: {threshold: 5}}]");

        Assert.Equal(["processors::test::policies::0::latency: has invalid keys: threshold."], errors);
    }

    [Fact]
    public void Rejects_CompositeInsideAndSubPolicy_AsInvalidKey()
    {
        var errors = Yaml.Load("processors::test", new TailSamplingConfig(), "policies: [{name: a, type: and, and: {and_sub_policy: [{name: b, type: always_sample, composite: {}}]}}]");

        Assert.Equal(["processors::test::policies::0::and::and_sub_policy::0: has invalid keys: composite."], errors);
    }
}
