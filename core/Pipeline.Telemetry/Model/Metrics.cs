using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Metrics.V1;
using Pipeline.Telemetry.Otlp;

namespace Pipeline.Telemetry;

/// <summary>A batch of metrics, counted in data points as otelcol counts them.</summary>
public sealed class Metrics : TelemetryData<Metrics, ExportMetricsServiceRequest>
{
    private Metrics()
    {
    }

    /// <inheritdoc />
    public override Signal Signal => Signal.Metrics;

    /// <summary>Wraps a decoded request.</summary>
    public static Metrics FromRequest(ExportMetricsServiceRequest request) => new Metrics().InitDecoded(request);

    /// <summary>Wraps an encoded <c>ExportMetricsServiceRequest</c> body, validating its framing and counting its data points.</summary>
    /// <exception cref="OtlpDecodeException">The bytes are not a well-formed request.</exception>
    public static Metrics FromEncoded(ReadOnlyMemory<byte> body)
    {
        int count = OtlpWire.CountItems(Signal.Metrics, body.Span);
        return new Metrics().InitEncoded([body], count);
    }

    /// <summary>The number of data points of one metric, whatever its type.</summary>
    public static int DataPointCount(Metric metric) => metric.DataCase switch
    {
        Metric.DataOneofCase.Gauge => metric.Gauge.DataPoints.Count,
        Metric.DataOneofCase.Sum => metric.Sum.DataPoints.Count,
        Metric.DataOneofCase.Histogram => metric.Histogram.DataPoints.Count,
        Metric.DataOneofCase.ExponentialHistogram => metric.ExponentialHistogram.DataPoints.Count,
        Metric.DataOneofCase.Summary => metric.Summary.DataPoints.Count,
        _ => 0,
    };

    /// <inheritdoc />
    protected override int CountItems(ExportMetricsServiceRequest request)
    {
        int n = 0;
        foreach (var rm in request.ResourceMetrics)
        {
            foreach (var sm in rm.ScopeMetrics)
            {
                foreach (var m in sm.Metrics)
                {
                    n += DataPointCount(m);
                }
            }
        }

        return n;
    }

    /// <inheritdoc />
    protected override Metrics CreateEmpty() => new();
}
