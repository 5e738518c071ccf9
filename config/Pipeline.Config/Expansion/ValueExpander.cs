using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Pipeline.Abstractions.Configuration;
using Pipeline.Config.Sources;
using Pipeline.Config.Yaml;

namespace Pipeline.Config.Expansion;

/// <summary>
/// Expands <c>${scheme:value}</c> references in values (never keys), as otelcol's confmap resolver does:
/// <c>${env:VAR}</c>, <c>${VAR}</c> (env is the default scheme), <c>${env:VAR:-default}</c> (default only when unset),
/// <c>${file:path}</c>, <c>${yaml:...}</c>; <c>$$</c> is a literal <c>$</c>; a bare <c>$VAR</c> is left alone. A value
/// that is one whole reference is read as YAML (so it can be an int, a list or a map); a reference inside a longer
/// value gives a string. Results are expanded again, up to <see cref="MaxDepth"/> levels.
/// </summary>
internal sealed partial class ValueExpander
{
    /// <summary>otelcol's limit on nested expansions (confmap/expand.go).</summary>
    private const int MaxDepth = 1000;

    /// <summary>Nodes visited at most: aliases share nodes in the parsed tree, and copying them must not explode
    /// (a "billion laughs" document). Real configs have a few thousand.</summary>
    private const int MaxNodes = 100_000;

    private const string EnvNamePattern = "^[a-zA-Z_][a-zA-Z0-9_]*$";

    private readonly Func<string, string?> _environment;
    private readonly ILogger _logger;
    private readonly ConfigErrorList _errors;
    private int _visited;

    public ValueExpander(Func<string, string?> environment, ILogger logger, ConfigErrorList errors)
    {
        _environment = environment;
        _logger = logger;
        _errors = errors;
    }

    /// <summary>Returns an expanded copy of <paramref name="node"/>; each failing value is reported and becomes null.</summary>
    public ConfigNode? Expand(ConfigNode? node)
    {
        if (node is null)
        {
            return null;
        }

        try
        {
            return ExpandNode(node, string.Empty, 0);
        }
        catch (TooLargeException)
        {
            _errors.Add(string.Empty, $"the configuration has more than {MaxNodes} values once aliases are expanded.", node.Location);
            return null;
        }
    }

    private ConfigNode ExpandNode(ConfigNode node, string path, int depth)
    {
        if (++_visited > MaxNodes)
        {
            throw new TooLargeException();
        }

        switch (node)
        {
            case ConfigMap map:
                var result = new ConfigMap { Location = map.Location, OriginalText = map.OriginalText };
                foreach (var entry in map.Entries)
                {
                    string childPath = path.Length == 0 ? entry.Key : path + "::" + entry.Key;
                    result.Set(entry.Key, ExpandNode(entry.Value, childPath, depth), map.KeyLocation(entry.Key));
                }

                return result;
            case ConfigList list:
                var items = new List<ConfigNode>(list.Items.Count);
                for (int i = 0; i < list.Items.Count; i++)
                {
                    items.Add(ExpandNode(list.Items[i], path + "::" + i, depth));
                }

                return new ConfigList(items) { Location = list.Location, OriginalText = list.OriginalText };
            case ConfigScalar { Value: { } text } scalar when text.Contains('$', StringComparison.Ordinal):
                if (depth > 0)
                {
                    return ExpandScalar(scalar, text, path, depth);
                }

                try
                {
                    return ExpandScalar(scalar, text, path, depth);
                }
                catch (ExpansionException e)
                {
                    _errors.Add(path, e.Message, scalar.Location);
                    return new ConfigScalar(null, quoted: false) { Location = scalar.Location };
                }

            default:
                return node;
        }
    }

    private ConfigNode ExpandScalar(ConfigScalar scalar, string text, string path, int depth)
    {
        if (text.StartsWith("${", StringComparison.Ordinal) && FindClose(text, 2) == text.Length - 1)
        {
            string uri = ExpandEmbedded(text[2..^1], depth + 1, out _);
            var (retrieved, scheme) = Resolve(uri);
            var parsed = ParseRetrieved(retrieved, scalar.Location, scheme == "yaml");
            return ExpandNode(parsed, path, depth + 1);
        }

        string expanded = ExpandEmbedded(text, depth, out bool referenced);
        if (expanded == text)
        {
            return scalar;
        }

        return new ConfigScalar(expanded, quoted: referenced || scalar.Quoted) { Location = scalar.Location };
    }

    private string ExpandEmbedded(string text, int depth, out bool referenced)
    {
        if (depth > MaxDepth)
        {
            throw new ExpansionException("too many recursive expansions.");
        }

        referenced = false;
        if (!text.Contains('$', StringComparison.Ordinal))
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '$' && i + 1 < text.Length && text[i + 1] == '$')
            {
                result.Append('$');
                i += 2;
                continue;
            }

            if (c == '$' && i + 1 < text.Length && text[i + 1] == '{')
            {
                int close = FindClose(text, i + 2);
                if (close < 0)
                {
                    result.Append(text, i, text.Length - i);
                    break;
                }

                string uri = ExpandEmbedded(text[(i + 2)..close], depth + 1, out _);
                var (retrieved, _) = Resolve(uri);
                result.Append(ExpandEmbedded(retrieved, depth + 1, out _));
                referenced = true;
                i = close + 1;
                continue;
            }

            result.Append(c);
            i++;
        }

        return result.ToString();
    }

    /// <summary>The index of the <c>}</c> closing a reference whose body starts at <paramref name="start"/>, or -1.</summary>
    private static int FindClose(string text, int start)
    {
        int open = 1;
        for (int j = start; j < text.Length; j++)
        {
            if (text[j] == '$' && j + 1 < text.Length && text[j + 1] == '{')
            {
                open++;
                j++;
            }
            else if (text[j] == '}' && --open == 0)
            {
                return j;
            }
        }

        return -1;
    }

    private (string Text, string Scheme) Resolve(string uri)
    {
        if (!uri.Contains(':', StringComparison.Ordinal))
        {
            uri = "env:" + uri;
        }

        var match = UriRegex().Match(uri);
        if (!match.Success)
        {
            throw new ExpansionException($"invalid uri: \"{uri}\".");
        }

        string scheme = match.Groups[1].Value;
        string value = match.Groups[2].Value;
        if (value.Contains('$', StringComparison.Ordinal))
        {
            throw new ExpansionException($"the uri \"{uri}\" contains unsupported characters ('$').");
        }

        return scheme switch
        {
            "env" => (ResolveEnv(value), scheme),
            "file" => (ReadFile(value), scheme),
            "yaml" => (value, scheme),
            _ => throw new ExpansionException($"scheme \"{scheme}\" is not supported for uri \"{uri}\"."),
        };
    }

    private string ResolveEnv(string value)
    {
        string name = value;
        string? fallback = null;
        int cut = value.IndexOf(":-", StringComparison.Ordinal);
        if (cut >= 0)
        {
            name = value[..cut];
            fallback = value[(cut + 2)..];
        }

        if (!EnvNameRegex().IsMatch(name))
        {
            throw new ExpansionException($"environment variable \"{name}\" has invalid name: must match regex {EnvNamePattern}.");
        }

        string? text = _environment(name);
        if (text is null)
        {
            if (fallback is not null)
            {
                return fallback;
            }

            ConfigLoader.Log.UnsetEnvironmentVariable(_logger, name);
            return string.Empty;
        }

        if (text.Length == 0)
        {
            ConfigLoader.Log.EmptyEnvironmentVariable(_logger, name);
        }

        return text;
    }

    private static string ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ExpansionException(SourceReader.UnreadableFileMessage(path, e));
        }
    }

    /// <summary>Reads a provider's text as YAML (otelcol's NewRetrievedFromYAML): typed when it parses, else a string.</summary>
    private static ConfigNode ParseRetrieved(string text, SourceLocation? location, bool splitKeys)
    {
        var scratch = new ConfigErrorList();
        string source = location?.File ?? "${...}";
        if (!YamlTreeReader.TryRead(text, source, scratch, out var root, location, splitKeys))
        {
            return new ConfigScalar(text, quoted: true) { Location = location, OriginalText = text };
        }

        // A file's final line break is not part of the value (secrets are usually stored with one).
        text = text.TrimEnd('\r', '\n');
        return root switch
        {
            null => new ConfigScalar(null, quoted: false) { Location = location },
            ConfigScalar s => new ConfigScalar(s.Value, s.Quoted) { Location = location, OriginalText = text },
            ConfigList l => new ConfigList(l.Items) { Location = location, OriginalText = text },
            ConfigMap m => CopyWithOriginal(m, location, text),
            _ => root,
        };
    }

    private static ConfigMap CopyWithOriginal(ConfigMap map, SourceLocation? location, string text)
    {
        var copy = new ConfigMap { Location = location, OriginalText = text };
        foreach (var entry in map.Entries)
        {
            copy.Set(entry.Key, entry.Value, map.KeyLocation(entry.Key));
        }

        return copy;
    }

    [GeneratedRegex("^([A-Za-z][A-Za-z0-9+.-]+):(.*)$", RegexOptions.Singleline)]
    private static partial Regex UriRegex();

    [GeneratedRegex(EnvNamePattern)]
    private static partial Regex EnvNameRegex();

    private sealed class ExpansionException(string message) : Exception(message);

    private sealed class TooLargeException : Exception;
}
