using System.Text;

namespace Pipeline.Processors.ProbabilisticSampler;

/// <summary>
/// The OpenTelemetry entry (<c>ot=…</c>) of a W3C <c>tracestate</c>: its <c>rv</c> (randomness) and <c>th</c>
/// (threshold) fields, other <c>ot</c> fields and the other vendors' entries, kept in order for re-serialising
/// (otelcol <c>pkg/sampling</c>: <c>ot</c> first, then <c>rv</c>, <c>th</c>, other fields).
/// </summary>
internal sealed class OtelTraceState
{
    private readonly List<string> _others = [];
    private readonly List<string> _extra = [];

    public string? RValue { get; private set; }

    public string? TValue { get; private set; }

    public ulong Threshold { get; private set; }

    /// <summary>Parses a tracestate; false when its <c>ot</c> entry is malformed (a field without <c>:</c>, a bad rv or th).</summary>
    public static bool TryParse(string raw, out OtelTraceState state)
    {
        state = new OtelTraceState();
        if (string.IsNullOrEmpty(raw))
        {
            return true;
        }

        foreach (string part in raw.Split(','))
        {
            string member = part.Trim(' ', '\t');
            if (member.Length == 0)
            {
                continue;
            }

            if (!member.StartsWith("ot=", StringComparison.Ordinal))
            {
                state._others.Add(member);
                continue;
            }

            foreach (string field in member[3..].Split(';'))
            {
                int colon = field.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0)
                {
                    return false;
                }

                string key = field[..colon];
                string value = field[(colon + 1)..];
                switch (key)
                {
                    case "rv":
                        if (!HashSeedSampling.TryParseRValue(value, out _))
                        {
                            return false;
                        }

                        state.RValue = value;
                        break;
                    case "th":
                        if (!HashSeedSampling.TryParseTValue(value, out ulong threshold))
                        {
                            return false;
                        }

                        state.TValue = value;
                        state.Threshold = threshold;
                        break;
                    default:
                        state._extra.Add(field);
                        break;
                }
            }
        }

        return true;
    }

    /// <summary>Sets the randomness written on serialising.</summary>
    public void SetRandomness(ulong randomness) => RValue = HashSeedSampling.RValue(randomness);

    /// <summary>Records the threshold a sampled item passed; false (unchanged) when it is below an arriving one.</summary>
    public bool UpdateThreshold(ulong threshold)
    {
        if (TValue is not null && Threshold > threshold)
        {
            return false;
        }

        Threshold = threshold;
        TValue = HashSeedSampling.TValue(threshold);
        return true;
    }

    /// <summary>Drops an arriving threshold that the item's randomness does not pass.</summary>
    public void ClearThreshold()
    {
        TValue = null;
        Threshold = 0;
    }

    public string Serialize()
    {
        var ot = new StringBuilder();
        if (RValue is not null)
        {
            ot.Append("rv:").Append(RValue);
        }

        if (TValue is not null)
        {
            ot.Append(ot.Length > 0 ? ";" : string.Empty).Append("th:").Append(TValue);
        }

        foreach (string field in _extra)
        {
            ot.Append(ot.Length > 0 ? ";" : string.Empty).Append(field);
        }

        var result = new StringBuilder();
        if (ot.Length > 0)
        {
            result.Append("ot=").Append(ot);
        }

        foreach (string member in _others)
        {
            result.Append(result.Length > 0 ? "," : string.Empty).Append(member);
        }

        return result.ToString();
    }
}
