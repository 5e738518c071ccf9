using Pipeline.Abstractions.Configuration;

namespace Pipeline.Connectors.SpanMetrics;

/// <summary>Config of the <c>spanmetrics</c> connector (otelcol-contrib connector/spanmetricsconnector keys and defaults).</summary>
public sealed class SpanMetricsConfig : IComponentConfig
{
    /// <summary>Default explicit buckets, in milliseconds (otelcol's defaultHistogramBucketsMs).</summary>
    public static readonly double[] DefaultBucketsMs = [2, 4, 6, 8, 10, 50, 100, 200, 400, 800, 1000, 1400, 2000, 5000, 10000, 15000];

    /// <summary><c>namespace</c>: prefix of the metric names. Default <c>traces.span.metrics</c>.</summary>
    public string Namespace { get; set; } = "traces.span.metrics";

    /// <summary><c>aggregation_temporality</c>: AGGREGATION_TEMPORALITY_CUMULATIVE (default) or AGGREGATION_TEMPORALITY_DELTA.</summary>
    public string AggregationTemporality { get; set; } = "AGGREGATION_TEMPORALITY_CUMULATIVE";

    /// <summary><c>metrics_flush_interval</c>: how often metrics are emitted. Default 60s.</summary>
    public TimeSpan MetricsFlushInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary><c>histogram::unit</c>: ms (default) or s.</summary>
    public string HistogramUnit { get; set; } = "ms";

    /// <summary><c>histogram::explicit::buckets</c>: bucket bounds (durations).</summary>
    public List<TimeSpan>? ExplicitBuckets { get; set; }

    /// <summary><c>histogram::disable</c>: emit only calls.</summary>
    public bool HistogramDisabled { get; set; }

    /// <summary><c>dimensions</c>: extra attributes (span first, then resource), with an optional default.</summary>
    public List<(string Name, string? Default)> Dimensions { get; } = [];

    /// <summary><c>exclude_dimensions</c>: built-in dimensions to leave out.</summary>
    public List<string> ExcludeDimensions { get; set; } = [];

    /// <summary><c>aggregation_cardinality_limit</c>: 0 = unlimited; above it new keys go to one overflow series.</summary>
    public int AggregationCardinalityLimit { get; set; }

    /// <summary><c>resource_metrics_key_attributes</c>: resource attributes that identify an output resource (default all).</summary>
    public List<string> ResourceMetricsKeyAttributes { get; set; } = [];

    /// <inheritdoc />
    public void Bind(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        Namespace = section.GetString("namespace", Namespace);
        AggregationTemporality = section.GetEnum("aggregation_temporality", AggregationTemporality, ["AGGREGATION_TEMPORALITY_CUMULATIVE", "AGGREGATION_TEMPORALITY_DELTA"]);
        MetricsFlushInterval = section.GetDuration("metrics_flush_interval", MetricsFlushInterval);
        AggregationCardinalityLimit = section.GetInt32("aggregation_cardinality_limit", AggregationCardinalityLimit, min: 0);
        ExcludeDimensions = section.GetStringList("exclude_dimensions", ExcludeDimensions);
        ResourceMetricsKeyAttributes = section.GetStringList("resource_metrics_key_attributes", ResourceMetricsKeyAttributes);
        section.GetInt32("dimensions_cache_size", 1000, min: 0);
        section.GetInt32("resource_metrics_cache_size", 1000, min: 0);
        section.GetBool("include_instrumentation_scope", false);
        if (section.GetSection("histogram") is { } histogram)
        {
            HistogramUnit = histogram.GetEnum("unit", HistogramUnit, ["ms", "s"]);
            HistogramDisabled = histogram.GetBool("disable", HistogramDisabled);
            if (histogram.GetSection("explicit") is { } explicitBuckets)
            {
                var node = explicitBuckets.GetNode("buckets");
                if (node is ConfigList list)
                {
                    ExplicitBuckets = [];
                    for (int i = 0; i < list.Items.Count; i++)
                    {
                        if (list.Items[i] is ConfigScalar { IsNull: false } item && GoDuration.TryParse(item.Value!, out var bound))
                        {
                            ExplicitBuckets.Add(bound);
                        }
                        else
                        {
                            explicitBuckets.Error("buckets::" + i, $"invalid bucket \"{(list.Items[i] as ConfigScalar)?.Value}\": use a duration such as 2ms or 1s.");
                        }
                    }
                }
                else if (node is not null)
                {
                    explicitBuckets.Error("buckets", "expected a list of durations.");
                }

                explicitBuckets.Finish();
            }

            if (histogram.GetSection("exponential") is { } exponential)
            {
                exponential.GetInt32("max_size", 160);
                exponential.Finish();
                histogram.Error("exponential", "exponential histograms are not supported by Pipeline's spanmetrics yet; use explicit buckets.");
            }

            histogram.Finish();
        }

        if (section.GetSectionList("dimensions") is { } dimensions)
        {
            foreach (var d in dimensions)
            {
                string name = d.GetString("name", string.Empty);
                string? def = d.GetOptionalString("default", null);
                d.Finish();
                if (name.Length == 0)
                {
                    d.Error(string.Empty, "dimension name must not be empty.");
                }

                Dimensions.Add((name, def));
            }
        }

        if (section.GetSection("exemplars") is { } exemplars)
        {
            if (exemplars.GetBool("enabled", false))
            {
                exemplars.Error("enabled", "exemplars are not supported by Pipeline's spanmetrics yet.");
            }

            exemplars.GetInt32("max_per_data_point", 0);
            exemplars.Finish();
        }

        if (section.GetSection("events") is { } events)
        {
            if (events.GetBool("enabled", false))
            {
                events.Error("enabled", "span event metrics are not supported by Pipeline's spanmetrics yet.");
            }

            events.GetStringList("dimensions", []);
            events.Finish();
        }
    }

    /// <inheritdoc />
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var seen = new HashSet<string>(StringComparer.Ordinal) { "service.name", "span.name", "span.kind", "status.code" };
        foreach (var (name, _) in Dimensions)
        {
            if (name.Length > 0 && !seen.Add(name))
            {
                errors.Add("dimensions", $"failed validating dimensions: duplicate dimension name {name}.");
            }
        }

        if (MetricsFlushInterval <= TimeSpan.Zero)
        {
            errors.Add("metrics_flush_interval", "metrics_flush_interval must be greater than zero.");
        }
    }

    /// <summary>Bucket bounds in the histogram's unit.</summary>
    public double[] BucketBounds()
    {
        if (ExplicitBuckets is null)
        {
            return HistogramUnit == "ms" ? DefaultBucketsMs : Array.ConvertAll(DefaultBucketsMs, b => b / 1000);
        }

        var bounds = new double[ExplicitBuckets.Count];
        for (int i = 0; i < bounds.Length; i++)
        {
            bounds[i] = HistogramUnit == "ms" ? ExplicitBuckets[i].TotalMilliseconds : ExplicitBuckets[i].TotalSeconds;
        }

        return bounds;
    }
}
