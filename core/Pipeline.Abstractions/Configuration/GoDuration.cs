using System.Globalization;

namespace Pipeline.Abstractions.Configuration;

/// <summary>Go's <c>time.ParseDuration</c> syntax, which collector configs use: <c>200ms</c>, <c>1.5h</c>, <c>2h45m</c>.</summary>
public static class GoDuration
{
    /// <summary>Parses a Go duration. Units: ns, us, µs, ms, s, m, h; a bare <c>0</c> is allowed.</summary>
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var s = text.AsSpan().Trim();
        if (s.IsEmpty)
        {
            return false;
        }

        bool negative = false;
        if (s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s.SequenceEqual("0"))
        {
            return true;
        }

        if (s.IsEmpty)
        {
            return false;
        }

        double totalNs = 0;
        while (!s.IsEmpty)
        {
            int i = 0;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            if (i == 0 || !double.TryParse(s[..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double number))
            {
                return false;
            }

            s = s[i..];
            int u = 0;
            while (u < s.Length && !char.IsAsciiDigit(s[u]) && s[u] != '.')
            {
                u++;
            }

            double unitNs = s[..u] switch
            {
                "ns" => 1,
                "us" or "µs" or "μs" => 1e3,
                "ms" => 1e6,
                "s" => 1e9,
                "m" => 60e9,
                "h" => 3600e9,
                _ => double.NaN,
            };
            if (double.IsNaN(unitNs))
            {
                return false;
            }

            totalNs += number * unitNs;
            s = s[u..];
        }

        if (totalNs / 100 > long.MaxValue)
        {
            return false;
        }

        value = TimeSpan.FromTicks((long)Math.Round(totalNs / 100) * (negative ? -1 : 1));
        return true;
    }

    /// <summary>Formats as Go does (<c>1m30s</c>, <c>200ms</c>, <c>0s</c>).</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        if (value < TimeSpan.Zero)
        {
            return "-" + Format(-value);
        }

        if (value < TimeSpan.FromSeconds(1))
        {
            double ms = value.Ticks / 10_000.0;
            return ms >= 1
                ? ms.ToString("0.###", CultureInfo.InvariantCulture) + "ms"
                : (value.Ticks / 10.0).ToString("0.###", CultureInfo.InvariantCulture) + "µs";
        }

        var text = new System.Text.StringBuilder();
        long hours = (long)value.TotalHours;
        if (hours > 0)
        {
            text.Append(hours).Append('h');
        }

        if (hours > 0 || value.Minutes > 0)
        {
            text.Append(value.Minutes).Append('m');
        }

        double seconds = value.Seconds + (value.Ticks % TimeSpan.TicksPerSecond / (double)TimeSpan.TicksPerSecond);
        text.Append(seconds.ToString("0.#########", CultureInfo.InvariantCulture)).Append('s');
        return text.ToString();
    }
}
