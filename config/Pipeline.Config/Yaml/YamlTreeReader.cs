using System.Globalization;
using Pipeline.Abstractions.Configuration;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Pipeline.Config.Yaml;

/// <summary>
/// Reads YAML text into a <see cref="ConfigNode"/> tree with the line and column of every node and key, from
/// YamlDotNet's event parser (no reflection, so it stays AOT safe). Only the first document is read, as yaml.v3 does.
/// Anchors, aliases and merge keys (<c>&lt;&lt;</c>) are resolved; duplicate keys are errors.
/// </summary>
internal sealed class YamlTreeReader
{
    private const string StrTag = "tag:yaml.org,2002:str";
    private const string NullTag = "tag:yaml.org,2002:null";

    private readonly IParser _parser;
    private readonly string _source;
    private readonly ConfigErrorList _errors;
    private readonly SourceLocation? _fixedLocation;
    private readonly bool _splitKeys;
    private readonly Dictionary<string, ConfigNode> _anchors = new(StringComparer.Ordinal);

    private YamlTreeReader(string text, string source, ConfigErrorList errors, SourceLocation? fixedLocation, bool splitKeys)
    {
        _parser = new Parser(new StringReader(text));
        _source = source;
        _errors = errors;
        _fixedLocation = fixedLocation;
        _splitKeys = splitKeys;
    }

    /// <summary>Parses <paramref name="text"/>; returns false (with errors added) when it is not valid YAML.</summary>
    /// <param name="text">The YAML.</param>
    /// <param name="source">The file name (or <c>env:VAR</c>…) put in every location.</param>
    /// <param name="errors">Where syntax and duplicate-key errors go.</param>
    /// <param name="root">The first document's root, or null when there is none or it is empty.</param>
    /// <param name="fixedLocation">When set, every node gets this location (text that came from a <c>${...}</c>).</param>
    /// <param name="splitKeys">Split keys on <c>::</c> into nested maps, as the <c>yaml:</c> provider does.</param>
    public static bool TryRead(
        string text,
        string source,
        ConfigErrorList errors,
        out ConfigNode? root,
        SourceLocation? fixedLocation = null,
        bool splitKeys = false)
    {
        int before = errors.Errors.Count;
        var reader = new YamlTreeReader(text, source, errors, fixedLocation, splitKeys);
        try
        {
            root = reader.ReadStream();
        }
        catch (YamlException e)
        {
            errors.Add(string.Empty, SyntaxMessage(e), reader.At(e.Start));
            root = null;
        }

        return errors.Errors.Count == before;
    }

    private static string SyntaxMessage(YamlException e)
    {
        // YamlDotNet prefixes its message with "(Line: l, Col: c, Idx: i) - (Line…): "; the location is kept apart.
        string message = e.Message;
        int cut = message.IndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith("(Line:", StringComparison.Ordinal) && cut >= 0)
        {
            message = message[(cut + 3)..];
        }

        message = message.TrimEnd();
        return "yaml: " + (message.EndsWith('.') ? message : message + ".");
    }

    private ConfigNode? ReadStream()
    {
        _parser.Consume<StreamStart>();
        if (_parser.TryConsume<StreamEnd>(out _))
        {
            return null;
        }

        _parser.Consume<DocumentStart>();
        var root = ReadNode(string.Empty);
        _parser.Consume<DocumentEnd>();
        return root is ConfigScalar { IsNull: true } ? null : root;
    }

    private SourceLocation At(Mark mark) =>
        _fixedLocation ?? new SourceLocation(_source, (int)mark.Line, (int)mark.Column);

    private ConfigNode ReadNode(string path)
    {
        var next = _parser.Current ?? throw new YamlException("unexpected end of input");
        switch (next)
        {
            case AnchorAlias alias:
                _parser.MoveNext();
                if (_anchors.TryGetValue(alias.Value.Value, out var target))
                {
                    return target;
                }

                throw new YamlException(alias.Start, alias.End, $"unknown anchor '{alias.Value.Value}' referenced");
            case Scalar scalar:
                _parser.MoveNext();
                return Remember(scalar, ToScalar(scalar));
            case SequenceStart start:
                _parser.MoveNext();
                return Remember(start, ReadSequence(start, path));
            case MappingStart start:
                _parser.MoveNext();
                return Remember(start, ReadMapping(start, path));
            default:
                throw new YamlException(next.Start, next.End, $"unexpected {next.GetType().Name}");
        }
    }

    private ConfigNode Remember(NodeEvent e, ConfigNode node)
    {
        if (!e.Anchor.IsEmpty)
        {
            _anchors[e.Anchor.Value] = node;
        }

        return node;
    }

    private ConfigScalar ToScalar(Scalar scalar)
    {
        string tag = scalar.Tag.IsEmpty ? string.Empty : scalar.Tag.Value;
        var location = At(scalar.Start);
        if (tag == NullTag || (scalar.Style == ScalarStyle.Plain && tag.Length == 0 && IsNullWord(scalar.Value)))
        {
            return new ConfigScalar(null, quoted: false) { Location = location };
        }

        bool quoted = scalar.Style is not ScalarStyle.Plain and not ScalarStyle.Any || tag == StrTag;
        return new ConfigScalar(scalar.Value, quoted) { Location = location };
    }

    private static bool IsNullWord(string value) => value is "" or "~" or "null" or "Null" or "NULL";

    private ConfigList ReadSequence(SequenceStart start, string path)
    {
        var items = new List<ConfigNode>();
        while (!_parser.TryConsume<SequenceEnd>(out _))
        {
            items.Add(ReadNode(path + "::" + items.Count.ToString(CultureInfo.InvariantCulture)));
        }

        return new ConfigList(items) { Location = At(start.Start) };
    }

    private ConfigMap ReadMapping(MappingStart start, string path)
    {
        var map = new ConfigMap { Location = At(start.Start) };
        List<ConfigNode>? merges = null;
        var firstLines = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        while (!_parser.TryConsume<MappingEnd>(out _))
        {
            var keyEvent = _parser.Current!;
            if (keyEvent is not Scalar keyScalar)
            {
                var keyNode = ReadNode(path);
                _errors.Add(path, $"yaml: mapping keys must be strings, got a {keyNode.KindName}.", keyNode.Location);
                ReadNode(path);
                continue;
            }

            _parser.MoveNext();
            string key = keyScalar.Value;
            var keyLocation = At(keyScalar.Start);
            if (key == "<<" && keyScalar.Style == ScalarStyle.Plain)
            {
                (merges ??= []).Add(ReadNode(path));
                continue;
            }

            string childPath = path.Length == 0 ? key : path + "::" + key;
            var value = ReadNode(childPath);
            if (firstLines.TryGetValue(key, out var first))
            {
                _errors.Add(childPath, $"yaml: mapping key \"{key}\" already defined at line {first.Line}.", keyLocation);
                continue;
            }

            firstLines[key] = keyLocation;
            SetKey(map, key, value, keyLocation);
        }

        if (merges is not null)
        {
            ApplyMerges(map, merges, path);
        }

        return map;
    }

    private void SetKey(ConfigMap map, string key, ConfigNode value, SourceLocation keyLocation)
    {
        int cut = _splitKeys ? key.IndexOf("::", StringComparison.Ordinal) : -1;
        if (cut < 0)
        {
            map.Set(key, value, keyLocation);
            return;
        }

        string head = key[..cut];
        if (!map.TryGet(head, out var child) || child is not ConfigMap childMap)
        {
            childMap = new ConfigMap { Location = keyLocation };
            map.Set(head, childMap, keyLocation);
        }

        SetKey(childMap, key[(cut + 2)..], value, keyLocation);
    }

    // yaml.v3 semantics: keys written in the mapping win over merged ones; among merged maps the first wins.
    private void ApplyMerges(ConfigMap map, List<ConfigNode> merges, string path)
    {
        foreach (var merge in merges)
        {
            IReadOnlyList<ConfigNode> sources = merge is ConfigList list ? list.Items : [merge];
            foreach (var source in sources)
            {
                if (source is not ConfigMap sourceMap)
                {
                    _errors.Add(path, "yaml: map merge requires map or sequence of maps as the value.", source.Location);
                    continue;
                }

                foreach (var entry in sourceMap.Entries)
                {
                    if (!map.TryGet(entry.Key, out _))
                    {
                        map.Set(entry.Key, entry.Value, sourceMap.KeyLocation(entry.Key));
                    }
                }
            }
        }
    }
}
