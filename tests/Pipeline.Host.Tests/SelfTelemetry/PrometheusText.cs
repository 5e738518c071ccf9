using System.Globalization;
using System.Text;

namespace Pipeline.Host.Tests.SelfTelemetry;

/// <summary>
/// The samples of a Prometheus text exposition, keyed by metric name and label set (labels in any order), so a test can
/// ask for <c>otelcol_receiver_accepted_spans{receiver="otlp",transport="grpc"}</c> without caring how it was written.
/// </summary>
internal sealed class PrometheusText
{
    private readonly Dictionary<string, double> _samples = new(StringComparer.Ordinal);

    private PrometheusText()
    {
    }

    /// <summary>Every "# TYPE name type" line, by name.</summary>
    public Dictionary<string, string> Types { get; } = new(StringComparer.Ordinal);

    public static PrometheusText Parse(string text)
    {
        var result = new PrometheusText();
        foreach (var raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                result.Types[parts[2]] = parts[3];
                continue;
            }

            if (line[0] == '#')
            {
                continue;
            }

            int brace = line.IndexOf('{', StringComparison.Ordinal);
            int space = line.LastIndexOf(' ');
            string name;
            var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
            if (brace >= 0 && brace < space)
            {
                name = line[..brace];
                int close = line.LastIndexOf('}');
                ParseLabels(line[(brace + 1)..close], labels);
            }
            else
            {
                name = line[..space];
            }

            result._samples[Key(name, labels)] = double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
        }

        return result;
    }

    /// <summary>The value of one series, or null when it is not exposed.</summary>
    public double? Value(string name, params (string Key, string Value)[] labels)
    {
        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in labels)
        {
            sorted[k] = v;
        }

        return _samples.TryGetValue(Key(name, sorted), out double value) ? value : null;
    }

    private static string Key(string name, SortedDictionary<string, string> labels)
    {
        var key = new StringBuilder(name).Append('{');
        foreach (var (k, v) in labels)
        {
            key.Append(k).Append("=\"").Append(v).Append("\",");
        }

        return key.Append('}').ToString();
    }

    private static void ParseLabels(string text, SortedDictionary<string, string> labels)
    {
        int i = 0;
        while (i < text.Length)
        {
            int eq = text.IndexOf('=', i);
            string key = text[i..eq].Trim(' ', ',');
            int start = eq + 2;
            var value = new StringBuilder();
            int j = start;
            while (text[j] != '"')
            {
                if (text[j] == '\\')
                {
                    j++;
                }

                value.Append(text[j]);
                j++;
            }

            labels[key] = value.ToString();
            i = j + 1;
        }
    }
}
