using System.Globalization;

namespace Pipeline.Processors.ProbabilisticSampler;

/// <summary>
/// otelcol's <c>hash_seed</c> arithmetic (processor/probabilisticsamplerprocessor <c>fnvhasher.go</c>,
/// <c>sampler_mode.go</c>): a 32-bit FNV-1a hash of the seed's 4 little-endian bytes followed by the item's bytes,
/// masked to 14 bits (<c>numHashBuckets</c> 0x4000), compared with <c>uint32(percentage * 163.84)</c> computed in
/// float32. The result is also expressed as OTEP 235 randomness / threshold (56-bit values), which otelcol writes
/// into <c>tracestate</c> (<c>ot=rv:…;th:…</c>) and log attributes.
/// </summary>
internal static class HashSeedSampling
{
    /// <summary>log2 of the number of hash buckets.</summary>
    public const int NumHashBucketsLg2 = 14;

    /// <summary>Hash buckets (a power of two, so a mask replaces division).</summary>
    public const uint NumHashBuckets = 0x4000;

    /// <summary>Mask selecting the bucket bits of a hash.</summary>
    public const uint BitMaskHashBuckets = NumHashBuckets - 1;

    /// <summary>Buckets per percent, as a float32 exactly as Go converts the untyped constant 0x4000/100.0.</summary>
    public const float PercentageScaleFactor = NumHashBuckets / 100.0f;

    /// <summary>2^56: the threshold that never samples (OTEP 235 <c>MaxAdjustedCount</c>).</summary>
    public const ulong NeverSampleThreshold = 1UL << 56;

    /// <summary>The randomness of a missing source: sampled at every probability.</summary>
    public const ulong AllProbabilitiesRandomness = (1UL << 56) - 1;

    private const uint FnvOffset = 2166136261;
    private const uint FnvPrime = 16777619;

    /// <summary>FNV-1a (32-bit) over the seed's little-endian bytes, then <paramref name="data"/>.</summary>
    public static uint ComputeHash(ReadOnlySpan<byte> data, uint seed)
    {
        uint hash = FnvOffset;
        for (int i = 0; i < 4; i++)
        {
            hash ^= (byte)(seed >> (8 * i));
            hash *= FnvPrime;
        }

        foreach (byte b in data)
        {
            hash ^= b;
            hash *= FnvPrime;
        }

        return hash;
    }

    /// <summary>The accept count out of 0x4000: <c>uint32(pct * percentageScaleFactor)</c> in float32, truncated;
    /// percentages above 100 count as 100.</summary>
    public static uint ScaledSamplingRate(float percentage)
    {
        float pct = Math.Min(percentage, 100f);
        float product = pct * PercentageScaleFactor;
        return (uint)product;
    }

    /// <summary>The 56-bit rejection threshold of a scaled rate: <c>(0x4000 - scaled) &lt;&lt; 42</c>.</summary>
    public static ulong Threshold(uint scaledRate) => (ulong)(NumHashBuckets - scaledRate) << 42;

    /// <summary>otelcol's <c>randomnessFromBytes</c>: a 56-bit value whose top 14 bits are <c>0x3fff - bucket</c>, so
    /// that <c>threshold &lt;= randomness</c> exactly when <c>bucket &lt; scaled rate</c>.</summary>
    public static ulong RandomnessFromBytes(ReadOnlySpan<byte> data, uint seed)
    {
        uint hashed32 = ComputeHash(data, seed);
        ulong hashed = hashed32 & BitMaskHashBuckets;
        ulong rprime14 = NumHashBuckets - 1 - hashed;
        ulong unused18 = hashed32 >> (32 - NumHashBucketsLg2);
        ulong mixed28 = unused18 ^ (unused18 << 10);
        return (rprime14 << 42) | (mixed28 << 14) | hashed;
    }

    /// <summary>An R-value: 14 lower-case hex digits.</summary>
    public static string RValue(ulong randomness) => randomness.ToString("x14", CultureInfo.InvariantCulture);

    /// <summary>A T-value: the 14-digit hex threshold with trailing zeros removed (<c>0</c> for always-sample).</summary>
    public static string TValue(ulong threshold)
    {
        if (threshold == 0)
        {
            return "0";
        }

        return threshold.ToString("x14", CultureInfo.InvariantCulture).TrimEnd('0');
    }

    /// <summary>Parses a T-value (1 to 14 hex digits, padded on the right).</summary>
    public static bool TryParseTValue(string text, out ulong threshold)
    {
        threshold = 0;
        if (text.Length is 0 or > 14 || !ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong value))
        {
            return false;
        }

        threshold = value << (4 * (14 - text.Length));
        return true;
    }

    /// <summary>Parses an R-value (exactly 14 hex digits).</summary>
    public static bool TryParseRValue(string text, out ulong randomness)
    {
        randomness = 0;
        return text.Length == 14 && ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out randomness);
    }

    /// <summary>otelcol's <c>ProbabilityToThresholdWithPrecision</c>; false when the probability is outside [2^-56, 1].</summary>
    public static bool TryProbabilityToThreshold(double fraction, int precision, out ulong threshold)
    {
        threshold = 0;
        if (precision == 0)
        {
            precision = 14;
        }

        if (!(fraction >= 1.0 / NeverSampleThreshold && fraction <= 1))
        {
            return false;
        }

        if (fraction == 1)
        {
            return true;
        }

        int expF = Frexp(fraction);
        int expR = Frexp(1 - fraction);
        precision = Math.Min(14, Math.Max(precision + (expF / -4), precision + (expR / -4)));
        ulong scaled = (ulong)Math.Round(fraction * NeverSampleThreshold, MidpointRounding.AwayFromZero);
        threshold = NeverSampleThreshold - scaled;
        int shift = 4 * (14 - precision);
        if (shift != 0)
        {
            ulong half = 1UL << (shift - 1);
            threshold += half;
            threshold >>= shift;
            threshold <<= shift;
        }

        return true;
    }

    // The binary exponent e of x = m * 2^e with m in [0.5, 1) (Go's math.Frexp).
    private static int Frexp(double x)
    {
        if (x == 0 || !double.IsFinite(x))
        {
            return 0;
        }

        return Math.ILogB(x) + 1;
    }
}
