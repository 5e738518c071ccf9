using OpenTelemetry.Proto.Common.V1;

namespace Pipeline.Processors.TailSampling;

/// <summary><c>boolean_attribute</c>: keeps a trace where a resource or span attribute <c>key</c> is the boolean
/// <c>value</c>. <c>invert_match</c> as for string attributes.</summary>
internal sealed class BooleanAttributePolicy(string key, bool expected, bool invert) : IPolicyEvaluator
{
    public Decision Evaluate(TraceData trace)
    {
        var test = new Test(expected);
        bool matched = SpanWalker.Any(trace, key, ref test);
        if (invert)
        {
            return matched ? Decision.InvertNotSampled : Decision.InvertSampled;
        }

        return matched ? Decision.Sampled : Decision.NotSampled;
    }

    private readonly struct Test(bool expected) : IValueTest
    {
        public bool Matches(AnyValue value) => value.ValueCase == AnyValue.ValueOneofCase.BoolValue && value.BoolValue == expected;
    }
}
