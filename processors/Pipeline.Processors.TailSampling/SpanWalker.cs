using Google.Protobuf.Collections;
using OpenTelemetry.Proto.Common.V1;

namespace Pipeline.Processors.TailSampling;

/// <summary>Attribute look-ups shared by the attribute policies.</summary>
internal static class SpanWalker
{
    /// <summary>The value of <paramref name="key"/> in a list of attributes, or null.</summary>
    public static AnyValue? Find(RepeatedField<KeyValue> attributes, string key)
    {
        for (int i = 0; i < attributes.Count; i++)
        {
            if (string.Equals(attributes[i].Key, key, StringComparison.Ordinal))
            {
                return attributes[i].Value ?? new AnyValue();
            }
        }

        return null;
    }

    /// <summary>Whether any resource or span attribute named <paramref name="key"/> satisfies <paramref name="test"/>
    /// (resource attributes are checked first, as otelcol does).</summary>
    public static bool Any<TTest>(TraceData trace, string key, ref TTest test)
        where TTest : struct, IValueTest
    {
        foreach (var rs in trace.Batches)
        {
            if (rs.Resource is { } resource && Find(resource.Attributes, key) is { } rv && test.Matches(rv))
            {
                return true;
            }

            foreach (var ss in rs.ScopeSpans)
            {
                foreach (var span in ss.Spans)
                {
                    if (Find(span.Attributes, key) is { } sv && test.Matches(sv))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }
}
