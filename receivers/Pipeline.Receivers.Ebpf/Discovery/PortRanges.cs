using System.Globalization;

namespace Pipeline.Receivers.Ebpf.Discovery;

/// <summary>OBI's <c>open_ports</c> value: ports and inclusive ranges, <c>80,443,8000-8999</c>.</summary>
internal sealed class PortRanges
{
    private readonly (int From, int To)[] _ranges;

    private PortRanges((int From, int To)[] ranges, string text)
    {
        _ranges = ranges;
        Text = text;
    }

    /// <summary>As written.</summary>
    public string Text { get; }

    /// <summary>Parses; on failure returns null and a message naming the bad part.</summary>
    public static PortRanges? TryParse(string text, out string? error)
    {
        error = null;
        var ranges = new List<(int, int)>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int dash = part.IndexOf('-', StringComparison.Ordinal);
            string a = dash < 0 ? part : part[..dash].Trim();
            string b = dash < 0 ? part : part[(dash + 1)..].Trim();
            if (!int.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out int from)
                || !int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out int to)
                || from < 1 || to > 65535 || from > to)
            {
                error = $"\"{part}\" is not a port (1-65535) or a range like 8000-8999";
                return null;
            }

            ranges.Add((from, to));
        }

        if (ranges.Count == 0)
        {
            error = "no ports given";
            return null;
        }

        return new PortRanges([.. ranges], text);
    }

    public bool Contains(int port)
    {
        foreach (var (from, to) in _ranges)
        {
            if (port >= from && port <= to)
            {
                return true;
            }
        }

        return false;
    }
}
