using System.Text;
using System.Text.RegularExpressions;

namespace Pipeline.Receivers.Ebpf.Discovery;

/// <summary>OBI's glob syntax (gobwas/glob without separators): <c>*</c>, <c>?</c>, <c>[abc]</c>, <c>[!a-z]</c>,
/// <c>{a,b}</c>; everything else literal. Matches the whole string.</summary>
internal sealed class Glob
{
    private readonly Regex _regex;

    private Glob(Regex regex, string text)
    {
        _regex = regex;
        Text = text;
    }

    /// <summary>As written.</summary>
    public string Text { get; }

    /// <summary>Compiles; null and a message when brackets or braces are unbalanced.</summary>
    public static Glob? TryParse(string text, out string? error)
    {
        error = null;
        var sb = new StringBuilder("^");
        int braces = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '*':
                    sb.Append(".*");
                    break;
                case '?':
                    sb.Append('.');
                    break;
                case '[':
                    int close = text.IndexOf(']', i + 1);
                    if (close < 0)
                    {
                        error = "unclosed [";
                        return null;
                    }

                    string set = text[(i + 1)..close];
                    sb.Append('[');
                    if (set.StartsWith('!'))
                    {
                        sb.Append('^');
                        set = set[1..];
                    }

                    sb.Append(set.Replace("\\", "\\\\", StringComparison.Ordinal)).Append(']');
                    i = close;
                    break;
                case '{':
                    braces++;
                    sb.Append("(?:");
                    break;
                case '}' when braces > 0:
                    braces--;
                    sb.Append(')');
                    break;
                case ',' when braces > 0:
                    sb.Append('|');
                    break;
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        if (braces != 0)
        {
            error = "unclosed {";
            return null;
        }

        sb.Append('$');
        return new Glob(new Regex(sb.ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline), text);
    }

    public bool IsMatch(string value) => _regex.IsMatch(value);
}
