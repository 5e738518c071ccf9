using Google.Protobuf;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace Pipeline.Processors.Ottl;

/// <summary>An OTTL context: the kind of item a condition is evaluated against.</summary>
public enum OttlContext
{
    /// <summary><c>resource</c></summary>
    Resource,

    /// <summary><c>scope</c> (also <c>instrumentation_scope</c>)</summary>
    Scope,

    /// <summary><c>span</c></summary>
    Span,

    /// <summary><c>spanevent</c></summary>
    SpanEvent,

    /// <summary><c>metric</c></summary>
    Metric,

    /// <summary><c>datapoint</c></summary>
    DataPoint,

    /// <summary><c>log</c></summary>
    Log,
}

/// <summary>Names and hierarchy of <see cref="OttlContext"/>.</summary>
public static class OttlContexts
{
    /// <summary>The context's name as written in configs and path prefixes.</summary>
    public static string Name(OttlContext context) => context switch
    {
        OttlContext.Resource => "resource",
        OttlContext.Scope => "scope",
        OttlContext.Span => "span",
        OttlContext.SpanEvent => "spanevent",
        OttlContext.Metric => "metric",
        OttlContext.DataPoint => "datapoint",
        _ => "log",
    };

    /// <summary>Parses a context name (<c>instrumentation_scope</c> is accepted for <c>scope</c>).</summary>
    public static bool TryParse(string name, out OttlContext context)
    {
        switch (name)
        {
            case "resource":
                context = OttlContext.Resource;
                return true;
            case "scope":
            case "instrumentation_scope":
                context = OttlContext.Scope;
                return true;
            case "span":
                context = OttlContext.Span;
                return true;
            case "spanevent":
                context = OttlContext.SpanEvent;
                return true;
            case "metric":
                context = OttlContext.Metric;
                return true;
            case "datapoint":
                context = OttlContext.DataPoint;
                return true;
            case "log":
                context = OttlContext.Log;
                return true;
            default:
                context = default;
                return false;
        }
    }

    /// <summary>True when paths of <paramref name="target"/> can be read while evaluating in <paramref name="context"/>
    /// (the context itself or one of its parents).</summary>
    public static bool CanRead(OttlContext context, OttlContext target) => context == target || target switch
    {
        OttlContext.Resource => true,
        OttlContext.Scope => context != OttlContext.Resource,
        OttlContext.Span => context == OttlContext.SpanEvent,
        OttlContext.Metric => context == OttlContext.DataPoint,
        _ => false,
    };

    /// <summary>How deep the context is (resource 0, scope 1, span/metric/log 2, spanevent/datapoint 3).</summary>
    public static int Depth(OttlContext context) => context switch
    {
        OttlContext.Resource => 0,
        OttlContext.Scope => 1,
        OttlContext.SpanEvent or OttlContext.DataPoint => 3,
        _ => 2,
    };
}

/// <summary>The item being evaluated and its parents. The caller fills the fields for the context being evaluated
/// and reuses one instance for every item (no allocation per item).</summary>
public sealed class OttlItem
{
    /// <summary>The resource.</summary>
    public Resource? Resource { get; set; }

    /// <summary>The instrumentation scope.</summary>
    public InstrumentationScope? Scope { get; set; }

    /// <summary>The span (span and spanevent contexts).</summary>
    public Span? Span { get; set; }

    /// <summary>The span event (spanevent context).</summary>
    public Span.Types.Event? SpanEvent { get; set; }

    /// <summary>The metric (metric and datapoint contexts).</summary>
    public Metric? Metric { get; set; }

    /// <summary>The data point: a NumberDataPoint, HistogramDataPoint, ExponentialHistogramDataPoint or
    /// SummaryDataPoint (datapoint context).</summary>
    public IMessage? DataPoint { get; set; }

    /// <summary>The log record (log context).</summary>
    public LogRecord? Log { get; set; }
}

/// <summary>Thrown when a condition cannot be evaluated (e.g. a function given a value of the wrong type).</summary>
public sealed class OttlEvaluationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public OttlEvaluationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public OttlEvaluationException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public OttlEvaluationException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>Thrown when a condition does not parse or refers to an unknown path, function or enum.</summary>
public sealed class OttlParseException : Exception
{
    /// <summary>Creates the exception.</summary>
    public OttlParseException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public OttlParseException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public OttlParseException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
