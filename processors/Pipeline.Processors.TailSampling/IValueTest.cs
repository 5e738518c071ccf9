using OpenTelemetry.Proto.Common.V1;

namespace Pipeline.Processors.TailSampling;

/// <summary>A test on one attribute value, passed as a struct so the attribute walk does not allocate.</summary>
internal interface IValueTest
{
    /// <summary>Whether the value matches.</summary>
    bool Matches(AnyValue value);
}
