using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Processors.Common;
using Pipeline.Processors.Ottl;

namespace Pipeline.Processors.TailSampling;

/// <summary>Checks policy configs (with otelcol's wording where it has one) and turns them into evaluators.</summary>
internal static class PolicyBuilder
{
    /// <summary>What is wrong with a policy, or null. Nested problems name the sub-policy.</summary>
    public static string? Check(PolicyConfig p, PolicyConfig.Level level)
    {
        switch (p.Type)
        {
            case "always_sample":
            case "latency":
                return null;
            case "status_code":
                if (p.StatusCodes.Count == 0)
                {
                    return "expected at least one status code to filter on";
                }

                foreach (string code in p.StatusCodes)
                {
                    if (code is not ("OK" or "ERROR" or "UNSET"))
                    {
                        return $"unknown status code \"{code}\", supported: OK, ERROR, UNSET";
                    }
                }

                return null;
            case "string_attribute":
                if (p.StringKey.Length == 0)
                {
                    return "string_attribute::key must be set";
                }

                if (p.StringValues.Count == 0)
                {
                    return "string_attribute::values must contain at least one value";
                }

                if (p.StringRegex)
                {
                    foreach (string pattern in p.StringValues)
                    {
                        if (!GoRegex.TryCompile(pattern, out _, out string? error))
                        {
                            return $"invalid regular expression \"{pattern}\": {error.TrimEnd('.')}";
                        }
                    }
                }

                return null;
            case "numeric_attribute":
                if (p.NumericKey.Length == 0)
                {
                    return "numeric_attribute::key must be set";
                }

                if (p.NumericMin is null && p.NumericMax is null)
                {
                    return "numeric_attribute needs min_value, max_value or both";
                }

                if (p.NumericMin is { } min && p.NumericMax is { } max && min > max)
                {
                    return string.Create(CultureInfo.InvariantCulture, $"numeric_attribute::min_value ({min}) must not be greater than max_value ({max})");
                }

                return null;
            case "boolean_attribute":
                return p.BooleanKey.Length == 0 ? "boolean_attribute::key must be set" : null;
            case "probabilistic":
                return double.IsNaN(p.SamplingPercentage) || p.SamplingPercentage < 0
                    ? string.Create(CultureInfo.InvariantCulture, $"probabilistic::sampling_percentage must be between 0 and 100 (got {p.SamplingPercentage})")
                    : null;
            case "rate_limiting":
                return p.SpansPerSecond <= 0
                    ? string.Create(CultureInfo.InvariantCulture, $"rate_limiting::spans_per_second must be greater than 0 (got {p.SpansPerSecond})")
                    : null;
            case "span_count":
                if (p.MinSpans < 0 || p.MaxSpans < 0)
                {
                    return "span_count::min_spans and max_spans must not be negative";
                }

                return p.MaxSpans != 0 && p.MaxSpans < p.MinSpans
                    ? string.Create(CultureInfo.InvariantCulture, $"span_count::max_spans ({p.MaxSpans}) must be greater than or equal to min_spans ({p.MinSpans})")
                    : null;
            case "trace_state":
                if (p.TraceStateKey.Length == 0)
                {
                    return "trace_state::key must be set";
                }

                if (p.TraceStateKey.Length > 256)
                {
                    return "the key of trace_state exceeds 256 characters";
                }

                return p.TraceStateValues.Count == 0 ? "trace_state::values must contain at least one value" : null;
            case "ottl_condition":
                return OttlConditionPolicy.Check(p);
            case "and" when level != PolicyConfig.Level.Leaf:
                return CheckSubPolicies(p.AndSubPolicies, "and::and_sub_policy", PolicyConfig.Level.Leaf);
            case "drop" when level == PolicyConfig.Level.Top:
                return CheckSubPolicies(p.DropSubPolicies, "drop::drop_sub_policy", PolicyConfig.Level.Leaf);
            case "composite" when level == PolicyConfig.Level.Top:
                return CheckComposite(p);
            default:
                return $"unknown sampling policy type {p.Type}";
        }
    }

    /// <summary>Builds the evaluator of a policy that passed <see cref="Check"/>.</summary>
    /// <param name="p">The policy.</param>
    /// <param name="time">The clock (rate limits).</param>
    /// <param name="logger">Where policies report evaluation errors (ottl_condition), or null for nowhere.</param>
    public static IPolicyEvaluator Build(PolicyConfig p, TimeProvider time, ILogger? logger = null) => p.Type switch
    {
        "always_sample" => new AlwaysSample(),
        "latency" => new LatencyPolicy(p.LatencyThresholdMs, p.LatencyUpperThresholdMs),
        "status_code" => new StatusCodePolicy(p.StatusCodes),
        "string_attribute" => BuildString(p),
        "numeric_attribute" => new NumericAttributePolicy(p.NumericKey, p.NumericMin, p.NumericMax, p.NumericInvert),
        "boolean_attribute" => new BooleanAttributePolicy(p.BooleanKey, p.BooleanValue, p.BooleanInvert),
        "probabilistic" => new ProbabilisticPolicy(p.HashSalt, p.SamplingPercentage),
        "rate_limiting" => new RateLimitingPolicy(p.SpansPerSecond, time),
        "span_count" => new SpanCountPolicy(p.MinSpans, p.MaxSpans),
        "trace_state" => new TraceStatePolicy(p.TraceStateKey, new HashSet<string>(p.TraceStateValues, StringComparer.Ordinal)),
        "ottl_condition" => OttlConditionPolicy.Create(p, logger ?? NullLogger.Instance),
        "and" => new AndPolicy(BuildAll(p.AndSubPolicies, time, logger)),
        "drop" => new DropPolicy(BuildAll(p.DropSubPolicies, time, logger)),
        "composite" => BuildComposite(p, time, logger),
        _ => throw new InvalidOperationException($"Unchecked policy type {p.Type}."),
    };

    private static string? CheckSubPolicies(List<PolicyConfig> subs, string key, PolicyConfig.Level level)
    {
        if (subs.Count == 0)
        {
            return key + " must contain at least one policy";
        }

        foreach (var sub in subs)
        {
            if (Check(sub, level) is { } problem)
            {
                return $"failed to create policy evaluator for \"{sub.Name}\": {problem}";
            }
        }

        return null;
    }

    private static string? CheckComposite(PolicyConfig p)
    {
        if (p.MaxTotalSpansPerSecond <= 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"composite::max_total_spans_per_second must be greater than 0 (got {p.MaxTotalSpansPerSecond})");
        }

        if (CheckSubPolicies(p.CompositeSubPolicies, "composite::composite_sub_policy", PolicyConfig.Level.CompositeSub) is { } problem)
        {
            return problem;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sub in p.CompositeSubPolicies)
        {
            names.Add(sub.Name);
        }

        if (p.PolicyOrder.Count == 0)
        {
            return "composite::policy_order must list the sub-policies";
        }

        foreach (string name in p.PolicyOrder)
        {
            if (!names.Contains(name))
            {
                return $"composite::policy_order names \"{name}\", which is not a composite_sub_policy";
            }
        }

        long total = 0;
        foreach (var a in p.RateAllocation)
        {
            if (!names.Contains(a.Policy))
            {
                return $"composite::rate_allocation names \"{a.Policy}\", which is not a composite_sub_policy";
            }

            if (a.Percent is < 0 or > 100)
            {
                return string.Create(CultureInfo.InvariantCulture, $"composite::rate_allocation percent for \"{a.Policy}\" must be between 0 and 100 (got {a.Percent})");
            }

            total += a.Percent;
        }

        return total > 100
            ? string.Create(CultureInfo.InvariantCulture, $"composite::rate_allocation percentages add up to {total}, more than 100")
            : null;
    }

    private static IPolicyEvaluator[] BuildAll(List<PolicyConfig> subs, TimeProvider time, ILogger? logger)
    {
        var result = new IPolicyEvaluator[subs.Count];
        for (int i = 0; i < subs.Count; i++)
        {
            result[i] = Build(subs[i], time, logger);
        }

        return result;
    }

    private static StringAttributePolicy BuildString(PolicyConfig p)
    {
        if (!p.StringRegex)
        {
            return new StringAttributePolicy(p.StringKey, new HashSet<string>(p.StringValues, StringComparer.Ordinal), null, 0, p.StringInvert);
        }

        var patterns = new Regex[p.StringValues.Count];
        for (int i = 0; i < patterns.Length; i++)
        {
            GoRegex.TryCompile(p.StringValues[i], out var regex, out _);
            patterns[i] = regex!;
        }

        return new StringAttributePolicy(p.StringKey, null, patterns, p.StringCacheMaxSize, p.StringInvert);
    }

    private static CompositePolicy BuildComposite(PolicyConfig p, TimeProvider time, ILogger? logger)
    {
        var evaluators = new IPolicyEvaluator[p.PolicyOrder.Count];
        var limits = new long[p.PolicyOrder.Count];
        for (int i = 0; i < p.PolicyOrder.Count; i++)
        {
            string name = p.PolicyOrder[i];
            var sub = p.CompositeSubPolicies.Find(s => s.Name == name)!;
            evaluators[i] = Build(sub, time, logger);
            limits[i] = p.MaxTotalSpansPerSecond;
            foreach (var a in p.RateAllocation)
            {
                if (a.Policy == name)
                {
                    limits[i] = p.MaxTotalSpansPerSecond * a.Percent / 100;
                }
            }
        }

        return new CompositePolicy(evaluators, limits, time);
    }
}
