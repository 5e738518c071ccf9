using System.Numerics;
using System.Text;

namespace Pipeline.Processors.TailSampling;

/// <summary><c>probabilistic</c>: keeps a trace when the 64-bit FNV-1a hash of <c>hash_salt</c> (default
/// <c>default-hash-seed</c>) followed by the 16 trace ID bytes is at most <c>sampling_percentage</c>/100 of 2^64−1, so
/// every collector with the same salt keeps the same traces as otelcol does.</summary>
internal sealed class ProbabilisticPolicy : IPolicyEvaluator
{
    /// <summary>otelcol's salt when none is configured.</summary>
    public const string DefaultHashSalt = "default-hash-seed";

    private const ulong FnvOffset = 14695981039346656037;
    private const ulong FnvPrime = 1099511628211;

    private readonly ulong _threshold;
    private readonly ulong _saltState;

    public ProbabilisticPolicy(string hashSalt, double samplingPercentage)
    {
        _threshold = Threshold(samplingPercentage / 100);
        _saltState = Fnv(FnvOffset, Encoding.UTF8.GetBytes(hashSalt.Length == 0 ? DefaultHashSalt : hashSalt));
    }

    public Decision Evaluate(TraceData trace) =>
        Fnv(_saltState, trace.TraceId) <= _threshold ? Decision.Sampled : Decision.NotSampled;

    /// <summary>The hash otelcol computes for a salt and trace ID.</summary>
    internal static ulong Hash(string salt, ReadOnlySpan<byte> traceId) => Fnv(Fnv(FnvOffset, Encoding.UTF8.GetBytes(salt)), traceId);

    /// <summary>(2^64−1) × ratio as otelcol computes it, saturating at both ends.</summary>
    internal static ulong Threshold(double ratio)
    {
        if (!(ratio > 0))
        {
            return 0;
        }

        if (ratio >= 1)
        {
            return ulong.MaxValue;
        }

        // ratio = mantissa × 2^exponent exactly; multiply in integers so no bits of 2^64−1 are lost.
        long bits = BitConverter.DoubleToInt64Bits(ratio);
        int exponent = (int)((bits >> 52) & 0x7FF);
        long mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0)
        {
            exponent = 1;
        }
        else
        {
            mantissa |= 1L << 52;
        }

        // Go multiplies as big.Float with 64-bit precision (round half to even), then truncates to an integer.
        var product = new BigInteger(ulong.MaxValue) * mantissa;
        int excess = (int)product.GetBitLength() - 64;
        if (excess > 0)
        {
            var unit = BigInteger.One << excess;
            var rest = product & (unit - 1);
            product >>= excess;
            var half = unit >> 1;
            if (rest > half || (rest == half && !product.IsEven))
            {
                product += 1;
            }

            product <<= excess;
        }

        product >>= 1075 - exponent;
        return product > ulong.MaxValue ? ulong.MaxValue : (ulong)product;
    }

    private static ulong Fnv(ulong state, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data)
        {
            state ^= b;
            state *= FnvPrime;
        }

        return state;
    }
}
