using OpenTelemetry.Proto.Metrics.V1;

namespace Pipeline.Connectors.SpanMetrics;

/// <summary>
/// A base-2 exponential histogram of non-negative values (OTLP ExponentialHistogramDataPoint): it starts at the finest
/// scale (20) and halves its resolution (scale − 1, every index shifted right by one) whenever the populated index
/// range would exceed <c>max_size</c> buckets, as the OpenTelemetry SDKs and otelcol's go-expohisto do. Bucket
/// <c>i</c> at scale <c>s</c> holds values in (2^(i·2^−s), 2^((i+1)·2^−s)]; zeros are counted apart.
/// </summary>
internal sealed class ExponentialBuckets
{
    /// <summary>The finest scale OTLP allows.</summary>
    public const int MaxScale = 20;

    private readonly int _maxSize;
    private long[] _counts;
    private int _offset;
    private int _length;

    public ExponentialBuckets(int maxSize)
    {
        _maxSize = maxSize;
        _counts = new long[Math.Min(maxSize, 16)];
    }

    public int Scale { get; private set; } = MaxScale;

    public long ZeroCount { get; private set; }

    public long Count { get; private set; }

    public double Sum { get; private set; }

    public double Min { get; private set; } = double.PositiveInfinity;

    public double Max { get; private set; } = double.NegativeInfinity;

    /// <summary>The bucket index of a positive value at a scale.</summary>
    public static int IndexOf(double value, int scale) => (int)Math.Ceiling(Math.Log2(value) * Math.Pow(2, scale)) - 1;

    public void Observe(double value)
    {
        Count++;
        Sum += value;
        Min = Math.Min(Min, value);
        Max = Math.Max(Max, value);
        if (value <= 0)
        {
            ZeroCount++;
            return;
        }

        int index = IndexOf(value, Scale);
        if (_length == 0)
        {
            _offset = index;
            _length = 1;
            _counts[0] = 1;
            return;
        }

        int low = Math.Min(_offset, index);
        int high = Math.Max(_offset + _length - 1, index);
        while (high - low + 1 > _maxSize)
        {
            Downscale();
            index >>= 1;
            low = Math.Min(_offset, index);
            high = Math.Max(_offset + _length - 1, index);
        }

        Grow(low, high);
        _counts[index - _offset]++;
    }

    /// <summary>Writes the positive buckets, zero count, count, sum, min and max into a data point.</summary>
    public void WriteTo(ExponentialHistogramDataPoint point)
    {
        point.Scale = Scale;
        point.ZeroCount = (ulong)ZeroCount;
        point.Count = (ulong)Count;
        point.Sum = Sum;
        if (Count > 0)
        {
            point.Min = Min;
            point.Max = Max;
        }

        point.Positive = new ExponentialHistogramDataPoint.Types.Buckets { Offset = _offset };
        for (int i = 0; i < _length; i++)
        {
            point.Positive.BucketCounts.Add((ulong)_counts[i]);
        }
    }

    /// <summary>Halves the resolution: buckets 2k and 2k+1 merge into k (arithmetic shift rounds toward −∞).</summary>
    private void Downscale()
    {
        Scale--;
        int newOffset = _offset >> 1;
        int newLength = ((_offset + _length - 1) >> 1) - newOffset + 1;
        var merged = new long[_counts.Length];
        for (int i = 0; i < _length; i++)
        {
            merged[((_offset + i) >> 1) - newOffset] += _counts[i];
        }

        _counts = merged;
        _offset = newOffset;
        _length = newLength;
    }

    /// <summary>Makes the array cover [low, high], keeping counts at their indices.</summary>
    private void Grow(int low, int high)
    {
        int needed = high - low + 1;
        if (low == _offset && needed <= _length)
        {
            return;
        }

        long[] target = _counts;
        if (needed > _counts.Length)
        {
            target = new long[Math.Min(_maxSize, Math.Max(needed, _counts.Length * 2))];
        }

        int shift = _offset - low;
        if (shift > 0 || !ReferenceEquals(target, _counts))
        {
            Array.Copy(_counts, 0, target, shift, _length);
            if (ReferenceEquals(target, _counts))
            {
                Array.Clear(target, 0, shift);
            }
        }

        _counts = target;
        _offset = low;
        _length = needed;
    }
}
