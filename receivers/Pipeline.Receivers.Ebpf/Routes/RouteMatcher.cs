namespace Pipeline.Receivers.Ebpf.Routes;

/// <summary>What the routes config says about one request path.</summary>
/// <param name="Route">The <c>http.route</c>, or null when there is none.</param>
/// <param name="DropSpan">True when an ignored pattern removes the span.</param>
/// <param name="DropMetric">True when an ignored pattern removes the metric.</param>
internal readonly record struct RouteDecision(string? Route, bool DropSpan, bool DropMetric);

/// <summary>Turns request paths into low-cardinality routes, as OBI's routes decorator does: configured patterns
/// first (the most literal match wins, then the first written), then the <c>unmatched</c> policy.</summary>
internal sealed class RouteMatcher
{
    private readonly CompiledPattern[] _patterns;
    private readonly CompiledPattern[] _ignored;
    private readonly bool _ignoreTraces;
    private readonly bool _ignoreMetrics;
    private readonly string _unmatched;
    private readonly char _wildcard;

    /// <summary>Compiles a validated config.</summary>
    public RouteMatcher(RoutesConfig config)
    {
        _patterns = Compile(config.Patterns);
        _ignored = Compile(config.IgnoredPatterns);
        _ignoreTraces = config.IgnoreMode is "all" or "traces";
        _ignoreMetrics = config.IgnoreMode is "all" or "metrics";
        _unmatched = config.Unmatched;
        _wildcard = config.WildcardChar.Length == 1 ? config.WildcardChar[0] : '*';
    }

    /// <summary>Decisions per distinct path: the same few paths come again and again (the heuristic built a string
    /// per request). Bounded: emptied when full, so paths with ids in them cost a fresh decision, never memory.</summary>
    internal const int MaxCachedPaths = 1024;

    private readonly Dictionary<string, RouteDecision> _decisions = new(StringComparer.Ordinal);

    /// <summary>The route and the ignore decision for a path (without query string). Not thread-safe (decisions are cached).</summary>
    public RouteDecision Decide(string path)
    {
        if (_decisions.TryGetValue(path, out var decision))
        {
            return decision;
        }

        bool ignored = FindBest(_ignored, path) is not null;
        decision = new RouteDecision(Route(path), ignored && _ignoreTraces, ignored && _ignoreMetrics);
        if (_decisions.Count >= MaxCachedPaths)
        {
            _decisions.Clear();
        }

        _decisions[path] = decision;
        return decision;
    }

    /// <summary>The route of a path, or null when the policy leaves it unset.</summary>
    public string? Route(string path)
    {
        var match = FindBest(_patterns, path);
        if (match is not null)
        {
            return match.Text;
        }

        return _unmatched switch
        {
            "path" => path,
            "wildcard" => "/**",
            "unset" => null,
            _ => Heuristic(path, _wildcard),
        };
    }

    /// <summary>Replaces each segment that looks like an id (any digit or non-ASCII character, or 8+ hex letters)
    /// with the wildcard character; OBI's bigram "gibberish" model is not reproduced.</summary>
    internal static string Heuristic(string path, char wildcard)
    {
        if (path.Length == 0 || path[0] != '/')
        {
            return path.Length == 0 ? "/" : path;
        }

        var builder = new System.Text.StringBuilder(path.Length);
        int start = 1;
        builder.Append('/');
        while (start <= path.Length)
        {
            int end = path.IndexOf('/', start);
            if (end < 0)
            {
                end = path.Length;
            }

            var segment = path.AsSpan(start, end - start);
            if (LooksLikeId(segment))
            {
                builder.Append(wildcard);
            }
            else
            {
                builder.Append(segment);
            }

            if (end < path.Length)
            {
                builder.Append('/');
            }

            start = end + 1;
        }

        return builder.ToString();
    }

    private static bool LooksLikeId(ReadOnlySpan<char> segment)
    {
        if (segment.IsEmpty)
        {
            return false;
        }

        bool allHex = true;
        foreach (char c in segment)
        {
            if (char.IsAsciiDigit(c) || c > 127)
            {
                return true;
            }

            allHex &= char.IsAsciiHexDigit(c);
        }

        return allHex && segment.Length >= 8;
    }

    private static CompiledPattern? FindBest(CompiledPattern[] patterns, string path)
    {
        CompiledPattern? best = null;
        for (int i = 0; i < patterns.Length; i++)
        {
            var p = patterns[i];
            if ((best is null || p.Literals > best.Literals) && p.Matches(path))
            {
                best = p;
            }
        }

        return best;
    }

    private static CompiledPattern[] Compile(List<string> patterns)
    {
        var result = new CompiledPattern[patterns.Count];
        for (int i = 0; i < patterns.Count; i++)
        {
            result[i] = new CompiledPattern(patterns[i]);
        }

        return result;
    }

    /// <summary>One pattern split into segments: a literal, a parameter (<c>{x}</c> or <c>:x</c>) that matches one
    /// non-empty segment, or a trailing <c>*</c> that matches the rest of the path.</summary>
    private sealed class CompiledPattern
    {
        private readonly string?[] _segments; // null = parameter
        private readonly bool _prefix;

        public CompiledPattern(string text)
        {
            Text = text;
            var parts = text.Split('/');
            int count = parts.Length - 1; // parts[0] is the empty string before the leading slash
            if (count > 0 && parts[^1] == "*")
            {
                _prefix = true;
                count--;
            }

            _segments = new string?[Math.Max(count, 0)];
            for (int i = 0; i < _segments.Length; i++)
            {
                string part = parts[i + 1];
                bool parameter = (part.Length > 1 && part[0] == ':') || (part.Length > 2 && part[0] == '{' && part[^1] == '}');
                _segments[i] = parameter ? null : part;
                if (!parameter)
                {
                    Literals++;
                }
            }
        }

        public string Text { get; }

        public int Literals { get; }

        public bool Matches(string path)
        {
            if (path.Length == 0 || path[0] != '/')
            {
                return false;
            }

            int pos = 1;
            for (int i = 0; i < _segments.Length; i++)
            {
                if (pos > path.Length)
                {
                    return false;
                }

                int end = path.IndexOf('/', pos);
                if (end < 0)
                {
                    end = path.Length;
                }

                var segment = path.AsSpan(pos, end - pos);
                string? literal = _segments[i];
                if (literal is null ? segment.IsEmpty : !segment.SequenceEqual(literal))
                {
                    return false;
                }

                pos = end + 1;
            }

            return _prefix || pos > path.Length;
        }
    }
}
