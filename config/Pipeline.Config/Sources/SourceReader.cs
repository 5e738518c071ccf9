using System.Text.RegularExpressions;
using Pipeline.Abstractions.Configuration;
using Pipeline.Config.Yaml;

namespace Pipeline.Config.Sources;

/// <summary>
/// Reads the <c>--config</c> sources (a path, <c>file:path</c>, <c>env:VAR</c>, <c>yaml:a::b: v</c>) and the
/// <c>--set</c> flags into config trees, the way otelcol's providers do.
/// </summary>
internal static partial class SourceReader
{
    /// <summary>Reads one <c>--config</c> source; null when it is empty or could not be read (errors added).</summary>
    public static ConfigNode? Read(string source, Func<string, string?> environment, ConfigErrorList errors)
    {
        var match = SchemeRegex().Match(source);
        if (!match.Success)
        {
            return ReadFile(source, source, errors);
        }

        string scheme = match.Groups[1].Value;
        string value = match.Groups[2].Value;
        switch (scheme)
        {
            case "file":
                return ReadFile(value, source, errors);
            case "env":
                return Parse(environment(value) ?? string.Empty, source, errors, splitKeys: false);
            case "yaml":
                return Parse(value, source, errors, splitKeys: true);
            default:
                errors.Add(string.Empty, $"scheme \"{scheme}\" is not supported for uri \"{source}\".");
                return null;
        }
    }

    /// <summary>Turns one <c>--set</c> value (<c>a.b.c=v</c>) into a tree; the value is read as YAML.</summary>
    public static ConfigNode? ReadSetFlag(string flag, ConfigErrorList errors)
    {
        int eq = flag.IndexOf('=', StringComparison.Ordinal);
        if (eq < 0)
        {
            errors.Add(string.Empty, $"invalid value \"{flag}\" for flag -set: missing equal sign.");
            return null;
        }

        string[] keys = flag[..eq].Split('.');
        foreach (string key in keys)
        {
            if (key.Length == 0)
            {
                errors.Add(string.Empty, $"invalid value \"{flag}\" for flag -set: empty key.");
                return null;
            }
        }

        var location = new SourceLocation("--set=" + flag, 0, 0);
        string text = flag[(eq + 1)..];
        var scratch = new ConfigErrorList();
        ConfigNode value = YamlTreeReader.TryRead(text, location.File, scratch, out var parsed, location)
            ? parsed ?? new ConfigScalar(null, quoted: false) { Location = location }
            : new ConfigScalar(text, quoted: true) { Location = location };

        for (int i = keys.Length - 1; i >= 0; i--)
        {
            var map = new ConfigMap { Location = location };
            map.Set(keys[i], value, location);
            value = map;
        }

        return value;
    }

    /// <summary>otelcol's file provider message, with the reason in plain words.</summary>
    public static string UnreadableFileMessage(string path, Exception e)
    {
        string reason = e is FileNotFoundException or DirectoryNotFoundException ? "no such file or directory" : e.Message.TrimEnd('.');
        return $"unable to read the file \"{path}\": {reason}.";
    }

    private static ConfigNode? ReadFile(string path, string source, ConfigErrorList errors)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add(string.Empty, UnreadableFileMessage(path, e), new SourceLocation(source, 0, 0));
            return null;
        }

        return Parse(text, path, errors, splitKeys: false);
    }

    internal static ConfigNode? Parse(string text, string source, ConfigErrorList errors, bool splitKeys)
    {
        if (!YamlTreeReader.TryRead(text, source, errors, out var root, splitKeys: splitKeys))
        {
            return null;
        }

        if (root is not null and not ConfigMap)
        {
            errors.Add(string.Empty, $"the configuration must be a map of sections, got a {root.KindName}.", root.Location);
            return null;
        }

        return root;
    }

    // A scheme has two or more characters, so "C:\config.yaml" is a path (confmap's location regex).
    [GeneratedRegex("^([A-Za-z][A-Za-z0-9+.-]+):(.*)$", RegexOptions.Singleline)]
    private static partial Regex SchemeRegex();
}
