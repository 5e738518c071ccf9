namespace Pipeline.Processors.Ottl;

/// <summary>The enum symbols OTTL's contexts define (span kind, status code, severity number, metric data type,
/// aggregation temporality), with their OTLP numbers.</summary>
public static class OttlEnums
{
    private static readonly Dictionary<string, long> Symbols = Build();

    /// <summary>Looks up an enum symbol.</summary>
    public static bool TryGet(string name, out long value) => Symbols.TryGetValue(name, out value);

    /// <summary>The context whose items an enum symbol describes, used for context inference.</summary>
    internal static OttlContext? ContextOf(string name) =>
        name.StartsWith("SPAN_KIND_", StringComparison.Ordinal) || name.StartsWith("STATUS_CODE_", StringComparison.Ordinal) ? OttlContext.Span
        : name.StartsWith("SEVERITY_NUMBER_", StringComparison.Ordinal) ? OttlContext.Log
        : name.StartsWith("METRIC_DATA_TYPE_", StringComparison.Ordinal) || name.StartsWith("AGGREGATION_TEMPORALITY_", StringComparison.Ordinal) ? OttlContext.Metric
        : null;

    private static Dictionary<string, long> Build()
    {
        var d = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["SPAN_KIND_UNSPECIFIED"] = 0,
            ["SPAN_KIND_INTERNAL"] = 1,
            ["SPAN_KIND_SERVER"] = 2,
            ["SPAN_KIND_CLIENT"] = 3,
            ["SPAN_KIND_PRODUCER"] = 4,
            ["SPAN_KIND_CONSUMER"] = 5,
            ["STATUS_CODE_UNSET"] = 0,
            ["STATUS_CODE_OK"] = 1,
            ["STATUS_CODE_ERROR"] = 2,
            ["SEVERITY_NUMBER_UNSPECIFIED"] = 0,
            ["METRIC_DATA_TYPE_NONE"] = 0,
            ["METRIC_DATA_TYPE_GAUGE"] = 1,
            ["METRIC_DATA_TYPE_SUM"] = 2,
            ["METRIC_DATA_TYPE_HISTOGRAM"] = 3,
            ["METRIC_DATA_TYPE_EXPONENTIAL_HISTOGRAM"] = 4,
            ["METRIC_DATA_TYPE_SUMMARY"] = 5,
            ["AGGREGATION_TEMPORALITY_UNSPECIFIED"] = 0,
            ["AGGREGATION_TEMPORALITY_DELTA"] = 1,
            ["AGGREGATION_TEMPORALITY_CUMULATIVE"] = 2,
        };
        string[] levels = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"];
        for (int i = 0; i < levels.Length; i++)
        {
            long first = (i * 4) + 1;
            d["SEVERITY_NUMBER_" + levels[i]] = first;
            for (int k = 2; k <= 4; k++)
            {
                d["SEVERITY_NUMBER_" + levels[i] + k.ToString(System.Globalization.CultureInfo.InvariantCulture)] = first + k - 1;
            }
        }

        return d;
    }
}
