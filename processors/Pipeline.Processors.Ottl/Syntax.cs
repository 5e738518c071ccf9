using System.Globalization;
using System.Text;
using Google.Protobuf;

namespace Pipeline.Processors.Ottl;

/// <summary>Token kinds of the OTTL condition grammar.</summary>
internal enum TokenKind
{
    End,
    Identifier,
    String,
    Int,
    Float,
    Bytes,
    Op,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Dot,
}

/// <summary>A token with its 0-based character offset in the condition.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Position, object? Value = null);

/// <summary>Splits a condition into tokens. String literals use Go's escapes (<c>\" \\ \n \t \r \uXXXX</c> …); a
/// number may carry a leading <c>-</c>; <c>0x…</c> is a bytes literal.</summary>
internal static class Lexer
{
    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            int start = i;
            switch (c)
            {
                case '(':
                    tokens.Add(new Token(TokenKind.LParen, "(", i++));
                    continue;
                case ')':
                    tokens.Add(new Token(TokenKind.RParen, ")", i++));
                    continue;
                case '[':
                    tokens.Add(new Token(TokenKind.LBracket, "[", i++));
                    continue;
                case ']':
                    tokens.Add(new Token(TokenKind.RBracket, "]", i++));
                    continue;
                case ',':
                    tokens.Add(new Token(TokenKind.Comma, ",", i++));
                    continue;
                case '.':
                    tokens.Add(new Token(TokenKind.Dot, ".", i++));
                    continue;
                case '"':
                    tokens.Add(new Token(TokenKind.String, text[start..ReadString(text, ref i)], start, ReadStringValue(text, start)));
                    continue;
                case '=' or '!' or '<' or '>':
                    if (i + 1 < text.Length && text[i + 1] == '=')
                    {
                        tokens.Add(new Token(TokenKind.Op, text.Substring(i, 2), i));
                        i += 2;
                        continue;
                    }

                    if (c is '<' or '>')
                    {
                        tokens.Add(new Token(TokenKind.Op, c.ToString(), i++));
                        continue;
                    }

                    throw Error(text, $"unexpected character '{c}'", i);
            }

            if (c == '0' && i + 1 < text.Length && (text[i + 1] == 'x' || text[i + 1] == 'X'))
            {
                i += 2;
                while (i < text.Length && char.IsAsciiHexDigit(text[i]))
                {
                    i++;
                }

                string hex = text[(start + 2)..i];
                if (hex.Length == 0 || hex.Length % 2 != 0)
                {
                    throw Error(text, "invalid bytes literal", start);
                }

                tokens.Add(new Token(TokenKind.Bytes, text[start..i], start, ByteString.CopyFrom(Convert.FromHexString(hex))));
                continue;
            }

            if (char.IsAsciiDigit(c) || ((c == '-' || c == '+') && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                i++;
                bool isFloat = false;
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'
                    || ((text[i] == 'e' || text[i] == 'E') && i + 1 < text.Length)
                    || ((text[i] == '-' || text[i] == '+') && (text[i - 1] == 'e' || text[i - 1] == 'E'))))
                {
                    isFloat |= text[i] is '.' or 'e' or 'E';
                    i++;
                }

                string number = text[start..i];
                if (isFloat)
                {
                    if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
                    {
                        throw Error(text, $"invalid number \"{number}\"", start);
                    }

                    tokens.Add(new Token(TokenKind.Float, number, start, d));
                }
                else
                {
                    if (!long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l))
                    {
                        throw Error(text, $"invalid number \"{number}\"", start);
                    }

                    tokens.Add(new Token(TokenKind.Int, number, start, l));
                }

                continue;
            }

            if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Identifier, text[start..i], start));
                continue;
            }

            throw Error(text, $"unexpected character '{c}'", i);
        }

        tokens.Add(new Token(TokenKind.End, "<EOF>", text.Length));
        return tokens;
    }

    public static OttlParseException Error(string condition, string message, int position) =>
        new($"unable to parse OTTL condition \"{condition}\": {message} at position {position.ToString(CultureInfo.InvariantCulture)}");

    private static int ReadString(string text, ref int i)
    {
        int start = i;
        i++;
        while (i < text.Length)
        {
            if (text[i] == '\\')
            {
                i += 2;
                continue;
            }

            if (text[i] == '"')
            {
                i++;
                return i;
            }

            i++;
        }

        throw Error(text, "unterminated string literal", start);
    }

    private static string ReadStringValue(string text, int start)
    {
        var sb = new StringBuilder();
        int i = start + 1;
        while (text[i] != '"')
        {
            char c = text[i++];
            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }

            char e = text[i++];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'v': sb.Append('\v'); break;
                case '\\': sb.Append('\\'); break;
                case '"': sb.Append('"'); break;
                case '\'': sb.Append('\''); break;
                case 'u' or 'U' or 'x':
                    int len = e == 'u' ? 4 : e == 'U' ? 8 : 2;
                    if (i + len > text.Length || !int.TryParse(text.AsSpan(i, len), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int code))
                    {
                        throw Error(text, "invalid escape sequence", i - 2);
                    }

                    sb.Append(char.ConvertFromUtf32(code));
                    i += len;
                    break;
                default:
                    throw Error(text, $"invalid escape sequence \"\\{e}\"", i - 2);
            }
        }

        return sb.ToString();
    }
}

/// <summary>Syntax tree of a boolean expression.</summary>
internal abstract class BoolNode(int position)
{
    public int Position { get; } = position;
}

internal sealed class OrNode(int position, List<BoolNode> terms) : BoolNode(position)
{
    public List<BoolNode> Terms { get; } = terms;
}

internal sealed class AndNode(int position, List<BoolNode> terms) : BoolNode(position)
{
    public List<BoolNode> Terms { get; } = terms;
}

internal sealed class NotNode(int position, BoolNode inner) : BoolNode(position)
{
    public BoolNode Inner { get; } = inner;
}

internal sealed class ComparisonNode(int position, ValueNode left, CompareOp op, ValueNode right) : BoolNode(position)
{
    public ValueNode Left { get; } = left;

    public CompareOp Op { get; } = op;

    public ValueNode Right { get; } = right;
}

/// <summary>A value used directly as a boolean: a <c>true</c>/<c>false</c> literal or a converter call.</summary>
internal sealed class BoolValueNode(int position, ValueNode value) : BoolNode(position)
{
    public ValueNode Value { get; } = value;
}

/// <summary>Syntax tree of a value.</summary>
internal abstract class ValueNode(int position)
{
    public int Position { get; } = position;
}

internal sealed class LiteralNode(int position, OttlValue value) : ValueNode(position)
{
    public OttlValue Value { get; } = value;
}

internal sealed class EnumNode(int position, string name, long value) : ValueNode(position)
{
    public string Name { get; } = name;

    public long Value { get; } = value;
}

internal sealed class ListNode(int position, List<ValueNode> items) : ValueNode(position)
{
    public List<ValueNode> Items { get; } = items;
}

/// <summary>A key after a path or a call: <c>["k"]</c> or <c>[0]</c>.</summary>
internal readonly record struct KeyNode(string? Name, long Index, int Position);

internal sealed class PathSegment(string name, List<KeyNode> keys, int position)
{
    public string Name { get; } = name;

    public List<KeyNode> Keys { get; } = keys;

    public int Position { get; } = position;
}

internal sealed class PathNode(int position, List<PathSegment> fields) : ValueNode(position)
{
    public List<PathSegment> Fields { get; } = fields;

    /// <summary>The path as written (without keys), e.g. <c>span.status.code</c>.</summary>
    public string Text
    {
        get
        {
            var sb = new StringBuilder();
            for (int i = 0; i < Fields.Count; i++)
            {
                if (i > 0)
                {
                    sb.Append('.');
                }

                sb.Append(Fields[i].Name);
            }

            return sb.ToString();
        }
    }
}

internal sealed class CallNode(int position, string name, List<ValueNode> args, List<KeyNode> keys) : ValueNode(position)
{
    public string Name { get; } = name;

    public List<ValueNode> Args { get; } = args;

    public List<KeyNode> Keys { get; } = keys;
}
