using System.Text.RegularExpressions;
using OpenTelemetry.Proto.Common.V1;

namespace Pipeline.Processors.TailSampling;

/// <summary><c>string_attribute</c>: keeps a trace where a resource or span attribute <c>key</c> holds one of
/// <c>values</c> (exactly, or matching one of them as a Go regular expression). With <c>invert_match</c> a match gives
/// InvertNotSampled and no match (including a missing key) InvertSampled.</summary>
internal sealed class StringAttributePolicy : IPolicyEvaluator
{
    private readonly string _key;
    private readonly HashSet<string>? _exact;
    private readonly Regex[]? _patterns;
    private readonly LruCache<string, bool>? _cache;
    private readonly bool _invert;
    private readonly object _gate = new();

    public StringAttributePolicy(string key, HashSet<string>? exact, Regex[]? patterns, int cacheMaxSize, bool invert)
    {
        _key = key;
        _exact = exact;
        _patterns = patterns;
        _invert = invert;
        if (patterns is not null && cacheMaxSize > 0)
        {
            _cache = new LruCache<string, bool>(cacheMaxSize);
        }
    }

    public Decision Evaluate(TraceData trace)
    {
        var test = new Test(this);
        bool matched = SpanWalker.Any(trace, _key, ref test);
        if (_invert)
        {
            return matched ? Decision.InvertNotSampled : Decision.InvertSampled;
        }

        return matched ? Decision.Sampled : Decision.NotSampled;
    }

    private bool MatchesText(string text)
    {
        if (_exact is not null)
        {
            return _exact.Contains(text);
        }

        if (_cache is not null)
        {
            lock (_gate)
            {
                if (_cache.TryGet(text, out bool cached))
                {
                    return cached;
                }
            }
        }

        bool result = false;
        foreach (var regex in _patterns!)
        {
            if (regex.IsMatch(text))
            {
                result = true;
                break;
            }
        }

        if (_cache is not null)
        {
            lock (_gate)
            {
                _cache.Put(text, result);
            }
        }

        return result;
    }

    private readonly struct Test(StringAttributePolicy owner) : IValueTest
    {
        public bool Matches(AnyValue value) =>
            value.ValueCase == AnyValue.ValueOneofCase.StringValue && owner.MatchesText(value.StringValue);
    }
}
