using OpenTelemetry.Proto.Common.V1;

namespace Pipeline.Processors.TailSampling;

/// <summary><c>numeric_attribute</c>: keeps a trace where a resource or span attribute <c>key</c> is a number within
/// [<c>min_value</c>, <c>max_value</c>] (an unset bound is open). <c>invert_match</c> as for string attributes.</summary>
internal sealed class NumericAttributePolicy(string key, long? min, long? max, bool invert) : IPolicyEvaluator
{
    public Decision Evaluate(TraceData trace)
    {
        var test = new Test(min ?? long.MinValue, max ?? long.MaxValue);
        bool matched = SpanWalker.Any(trace, key, ref test);
        if (invert)
        {
            return matched ? Decision.InvertNotSampled : Decision.InvertSampled;
        }

        return matched ? Decision.Sampled : Decision.NotSampled;
    }

    private readonly struct Test(long min, long max) : IValueTest
    {
        public bool Matches(AnyValue value) => value.ValueCase switch
        {
            AnyValue.ValueOneofCase.IntValue => value.IntValue >= min && value.IntValue <= max,
            AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue >= min && value.DoubleValue <= max,
            _ => false,
        };
    }
}
