using Pipeline.Abstractions.Configuration;

namespace Pipeline.Connectors.SpanMetrics;

/// <summary>Config of the <c>spanmetrics</c> connector (otelcol-contrib connector/spanmetricsconnector keys and defaults).</summary>
public sealed class SpanMetricsConfig : IComponentConfig
{
    /// <summary>Default explicit buckets, in milliseconds (otelcol's defaultHistogramBucketsMs).</summary>
    public static readonly double[] DefaultBucketsMs = [2, 4, 6, 8, 10, 50, 100, 200, 400, 800, 1000, 1400, 2000, 5000, 10000, 15000];

    /// <summary>otelcol's exponential histogram default max_size (go-expohisto's DefaultMaxSize).</summary>
    public const int DefaultExponentialMaxSize = 160;

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

    /// <summary><c>metrics_expiration</c>: with cumulative temporality, a resource's series that saw no span for this
    /// long are exported one last time and then dropped. Default 0 (never).</summary>
    public TimeSpan MetricsExpiration { get; set; }

    /// <summary><c>histogram::exponential::max_size</c>: when set, <c>duration</c> is a base-2 exponential histogram
    /// with at most this many buckets (otelcol's default max_size is 160). Null (default): explicit buckets.</summary>
    public int? ExponentialMaxSize { get; set; }

    /// <summary><c>exemplars::enabled</c>: attach the trace_id/span_id of the spans of each flush interval to the
    /// calls, duration and events data points. Default false.</summary>
    public bool ExemplarsEnabled { get; set; }

    /// <summary><c>exemplars::max_per_data_point</c>: at most this many exemplars per data point and interval. Default
    /// unset (no limit).</summary>
    public int? ExemplarsMaxPerDataPoint { get; set; }

    /// <summary><c>events::enabled</c>: emit <c>{namespace}.events</c>, a count of span events. Default false.</summary>
    public bool EventsEnabled { get; set; }

    /// <summary><c>events::dimensions</c>: extra dimensions of the events metric (looked up on the span, then the
    /// event, then the resource), with an optional default. Required when events are enabled.</summary>
    public List<(string Name, string? Default)> EventDimensions { get; } = [];

    /// <summary><c>include_instrumentation_scope</c>: scope names whose spans get the
    /// <c>span.instrumentation.scope.name</c> / <c>.version</c> dimensions. Default none.</summary>
    public List<string> IncludeInstrumentationScope { get; set; } = [];

    /// <summary><c>dimensions_cache_size</c>: accepted for compatibility (deprecated in otelcol in favour of
    /// aggregation_cardinality_limit); it has no effect. Default 1000.</summary>
    public int DimensionsCacheSize { get; set; } = 1000;

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
        MetricsExpiration = section.GetDuration("metrics_expiration", MetricsExpiration);
        DimensionsCacheSize = section.GetInt32("dimensions_cache_size", DimensionsCacheSize);
        section.GetInt32("resource_metrics_cache_size", 1000, min: 0);
        section.GetInt32("metric_timestamp_cache_size", 1000, min: 0);
        IncludeInstrumentationScope = section.GetStringList("include_instrumentation_scope", IncludeInstrumentationScope);
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
                int maxSize = exponential.GetInt32("max_size", 0, min: 0);
                ExponentialMaxSize = maxSize == 0 ? DefaultExponentialMaxSize : maxSize;
                exponential.Finish();
                if (ExplicitBuckets is not null)
                {
                    histogram.Error(string.Empty, "use either `explicit` or `exponential` buckets histogram.");
                }
            }

            histogram.Finish();
        }

        BindDimensions(section, "dimensions", Dimensions);
        if (section.GetSection("exemplars") is { } exemplars)
        {
            ExemplarsEnabled = exemplars.GetBool("enabled", ExemplarsEnabled);
            if (exemplars.GetNode("max_per_data_point") is not null)
            {
                ExemplarsMaxPerDataPoint = exemplars.GetInt32("max_per_data_point", 0, min: 0);
            }

            exemplars.Finish();
        }

        if (section.GetSection("events") is { } events)
        {
            EventsEnabled = events.GetBool("enabled", EventsEnabled);
            BindDimensions(events, "dimensions", EventDimensions);
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

        if (EventsEnabled)
        {
            if (EventDimensions.Count == 0)
            {
                errors.Add("events", "failed validating event dimensions: no dimensions configured for events.");
            }

            var eventSeen = new HashSet<string>(StringComparer.Ordinal) { "service.name", "span.name", "span.kind", "status.code" };
            foreach (var (name, _) in EventDimensions)
            {
                if (name.Length > 0 && !eventSeen.Add(name))
                {
                    errors.Add("events::dimensions", $"failed validating event dimensions: duplicate dimension name {name}.");
                }
            }
        }

        if (DimensionsCacheSize <= 0)
        {
            errors.Add("dimensions_cache_size", $"invalid cache size: {DimensionsCacheSize}, the maximum number of the items in the cache should be positive.");
        }
    }

    private static void BindDimensions(ConfigSection section, string key, List<(string Name, string? Default)> target)
    {
        if (section.GetSectionList(key) is not { } dimensions)
        {
            return;
        }

        foreach (var d in dimensions)
        {
            string name = d.GetString("name", string.Empty);
            string? def = d.GetOptionalString("default", null);
            d.Finish();
            if (name.Length == 0)
            {
                d.Error(string.Empty, "dimension name must not be empty.");
            }

            target.Add((name, def));
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
