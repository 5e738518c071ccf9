using Microsoft.Extensions.Logging;
using Pipeline.Processors.Ottl;

namespace Pipeline.Processors.TailSampling;

/// <summary>
/// <c>ottl_condition</c>: keeps a trace when any <c>span</c> condition is true for any of its spans, or any
/// <c>spanevent</c> condition for any of their events (otelcol's <c>internal/sampling/ottl.go</c>: spans are walked in
/// arrival order, each span's conditions before its events' conditions, stopping at the first true one). A condition
/// that fails to evaluate: <c>propagate</c> ends the evaluation and the policy does not sample (otelcol logs the policy
/// error and counts no vote); <c>ignore</c> and <c>silent</c> treat it as false and go on (ignore logs it).
/// </summary>
internal sealed partial class OttlConditionPolicy : IPolicyEvaluator
{
    private readonly OttlCondition[] _span;
    private readonly OttlCondition[] _spanEvent;
    private readonly Mode _mode;
    private readonly ILogger _logger;

    private OttlConditionPolicy(OttlCondition[] span, OttlCondition[] spanEvent, Mode mode, ILogger logger)
    {
        _span = span;
        _spanEvent = spanEvent;
        _mode = mode;
        _logger = logger;
    }

    private enum Mode
    {
        Propagate,
        Ignore,
        Silent,
    }

    /// <summary>What is wrong with the policy's settings, or null (every condition is compiled here, so a bad one
    /// is a config error naming it and the position).</summary>
    public static string? Check(PolicyConfig p)
    {
        if (ParseMode(p.OttlErrorMode) is null)
        {
            return $"ottl_condition::error_mode: unknown error mode {p.OttlErrorMode}";
        }

        if (p.OttlSpan.Count == 0 && p.OttlSpanEvent.Count == 0)
        {
            return "expected at least one OTTL condition to filter on";
        }

        try
        {
            Compile(p.OttlSpan, OttlContext.Span);
            Compile(p.OttlSpanEvent, OttlContext.SpanEvent);
        }
        catch (OttlParseException e)
        {
            return e.Message;
        }

        return null;
    }

    /// <summary>Builds the policy from settings that passed <see cref="Check"/>.</summary>
    public static OttlConditionPolicy Create(PolicyConfig p, ILogger logger) =>
        new(Compile(p.OttlSpan, OttlContext.Span), Compile(p.OttlSpanEvent, OttlContext.SpanEvent), ParseMode(p.OttlErrorMode)!.Value, logger);

    public Decision Evaluate(TraceData trace)
    {
        var item = new OttlItem();
        foreach (var rs in trace.Batches)
        {
            item.Resource = rs.Resource;
            foreach (var ss in rs.ScopeSpans)
            {
                item.Scope = ss.Scope;
                foreach (var span in ss.Spans)
                {
                    item.Span = span;
                    item.SpanEvent = null;
                    if (AnyTrue(_span, item, out bool failed))
                    {
                        return Decision.Sampled;
                    }

                    if (failed)
                    {
                        return Decision.NotSampled;
                    }

                    if (_spanEvent.Length == 0)
                    {
                        continue;
                    }

                    foreach (var spanEvent in span.Events)
                    {
                        item.SpanEvent = spanEvent;
                        if (AnyTrue(_spanEvent, item, out failed))
                        {
                            return Decision.Sampled;
                        }

                        if (failed)
                        {
                            return Decision.NotSampled;
                        }
                    }
                }
            }
        }

        return Decision.NotSampled;
    }

    private static OttlCondition[] Compile(List<string> conditions, OttlContext context)
    {
        var result = new OttlCondition[conditions.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = OttlCondition.Parse(conditions[i], context);
        }

        return result;
    }

    private static Mode? ParseMode(string text) => text.ToLowerInvariant() switch
    {
        "propagate" or "" => Mode.Propagate,
        "ignore" => Mode.Ignore,
        "silent" => Mode.Silent,
        _ => null,
    };

    /// <summary>True when a condition is true; <paramref name="failed"/> when one failed under propagate.</summary>
    private bool AnyTrue(OttlCondition[] conditions, OttlItem item, out bool failed)
    {
        failed = false;
        foreach (var condition in conditions)
        {
            try
            {
                if (condition.Evaluate(item))
                {
                    return true;
                }
            }
            catch (OttlEvaluationException e)
            {
                switch (_mode)
                {
                    case Mode.Propagate:
                        Log.PolicyError(_logger, condition.Text, e.Message);
                        failed = true;
                        return false;
                    case Mode.Ignore:
                        Log.IgnoredError(_logger, condition.Text, e.Message);
                        break;
                }
            }
        }

        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "Sampling policy error: failed to eval condition: {Condition}, {Error}.")]
        public static partial void PolicyError(ILogger logger, string condition, string error);

        [LoggerMessage(EventId = 11, Level = LogLevel.Debug, Message = "Condition evaluation failed and was treated as false (error_mode ignore): {Condition}, {Error}.")]
        public static partial void IgnoredError(ILogger logger, string condition, string error);
    }
}
