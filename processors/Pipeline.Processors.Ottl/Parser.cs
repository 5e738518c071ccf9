namespace Pipeline.Processors.Ottl;

/// <summary>Recursive-descent parser for OTTL boolean expressions:
/// <code>
/// expr       = term { "or" term }
/// term       = factor { "and" factor }
/// factor     = "not" factor | "(" expr ")" | value [ op value ]
/// value      = string | int | float | bytes | "nil" | "true" | "false" | ENUM | list | path | Converter "(" args ")" keys
/// path       = field { "." field } ; field = name keys ; keys = { "[" (string | int) "]" }
/// </code>
/// A value without an operator must be a boolean literal or a converter call. Errors name the condition and the
/// 0-based character offset.</summary>
internal sealed class Parser
{
    private readonly string _text;
    private readonly List<Token> _tokens;
    private int _index;

    private Parser(string text)
    {
        _text = text;
        _tokens = Lexer.Tokenize(text);
    }

    private Token Current => _tokens[_index];

    public static BoolNode Parse(string text)
    {
        var parser = new Parser(text);
        if (parser.Current.Kind == TokenKind.End)
        {
            throw Lexer.Error(text, "condition is empty", 0);
        }

        var node = parser.ParseOr();
        if (parser.Current.Kind != TokenKind.End)
        {
            throw parser.Unexpected();
        }

        return node;
    }

    private OttlParseException Unexpected() =>
        Lexer.Error(_text, Current.Kind == TokenKind.End ? "unexpected end of condition" : $"unexpected token \"{Current.Text}\"", Current.Position);

    private bool IsKeyword(string keyword) => Current.Kind == TokenKind.Identifier && Current.Text == keyword;

    private BoolNode ParseOr()
    {
        int position = Current.Position;
        var first = ParseAnd();
        if (!IsKeyword("or"))
        {
            return first;
        }

        var terms = new List<BoolNode> { first };
        while (IsKeyword("or"))
        {
            _index++;
            terms.Add(ParseAnd());
        }

        return new OrNode(position, terms);
    }

    private BoolNode ParseAnd()
    {
        int position = Current.Position;
        var first = ParseFactor();
        if (!IsKeyword("and"))
        {
            return first;
        }

        var terms = new List<BoolNode> { first };
        while (IsKeyword("and"))
        {
            _index++;
            terms.Add(ParseFactor());
        }

        return new AndNode(position, terms);
    }

    private BoolNode ParseFactor()
    {
        int position = Current.Position;
        if (IsKeyword("not"))
        {
            _index++;
            return new NotNode(position, ParseFactor());
        }

        if (Current.Kind == TokenKind.LParen)
        {
            _index++;
            var inner = ParseOr();
            Expect(TokenKind.RParen, "expected \")\"");
            return inner;
        }

        var left = ParseValue();
        if (Current.Kind == TokenKind.Op)
        {
            var op = Current.Text switch
            {
                "==" => CompareOp.Eq,
                "!=" => CompareOp.Ne,
                "<" => CompareOp.Lt,
                "<=" => CompareOp.Le,
                ">" => CompareOp.Gt,
                _ => CompareOp.Ge,
            };
            _index++;
            var right = ParseValue();
            return new ComparisonNode(position, left, op, right);
        }

        if (left is CallNode || (left is LiteralNode literal && literal.Value.Type == OttlType.Bool))
        {
            return new BoolValueNode(position, left);
        }

        throw Lexer.Error(_text, "expected a comparison operator", Current.Position);
    }

    private void Expect(TokenKind kind, string message)
    {
        if (Current.Kind != kind)
        {
            throw Lexer.Error(_text, message, Current.Position);
        }

        _index++;
    }

    private ValueNode ParseValue()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.String:
                _index++;
                return new LiteralNode(token.Position, OttlValue.String((string)token.Value!));
            case TokenKind.Int:
                _index++;
                return new LiteralNode(token.Position, OttlValue.Int((long)token.Value!));
            case TokenKind.Float:
                _index++;
                return new LiteralNode(token.Position, OttlValue.Double((double)token.Value!));
            case TokenKind.Bytes:
                _index++;
                return new LiteralNode(token.Position, OttlValue.Bytes((Google.Protobuf.ByteString)token.Value!));
            case TokenKind.LBracket:
                return ParseList();
            case TokenKind.Identifier:
                break;
            default:
                throw Lexer.Error(_text, "expected a value", token.Position);
        }

        switch (token.Text)
        {
            case "and" or "or" or "not":
                throw Lexer.Error(_text, "expected a value", token.Position);
            case "nil":
                _index++;
                return new LiteralNode(token.Position, OttlValue.Nil);
            case "true":
                _index++;
                return new LiteralNode(token.Position, OttlValue.Bool(true));
            case "false":
                _index++;
                return new LiteralNode(token.Position, OttlValue.Bool(false));
        }

        _index++;
        if (Current.Kind == TokenKind.LParen)
        {
            if (!char.IsAsciiLetterUpper(token.Text[0]))
            {
                throw Lexer.Error(_text, $"\"{token.Text}\" is an editor; only converters (functions starting with an upper-case letter) can be used in conditions", token.Position);
            }

            _index++;
            var args = new List<ValueNode>();
            if (Current.Kind != TokenKind.RParen)
            {
                args.Add(ParseValue());
                while (Current.Kind == TokenKind.Comma)
                {
                    _index++;
                    args.Add(ParseValue());
                }
            }

            Expect(TokenKind.RParen, "expected \",\" or \")\"");
            return new CallNode(token.Position, token.Text, args, ParseKeys());
        }

        if (IsEnumName(token.Text))
        {
            if (!OttlEnums.TryGet(token.Text, out long value))
            {
                throw Lexer.Error(_text, $"enum symbol \"{token.Text}\" not found", token.Position);
            }

            return new EnumNode(token.Position, token.Text, value);
        }

        var fields = new List<PathSegment> { new(token.Text, ParseKeys(), token.Position) };
        while (Current.Kind == TokenKind.Dot)
        {
            _index++;
            var name = Current;
            if (name.Kind != TokenKind.Identifier)
            {
                throw Lexer.Error(_text, "expected a path segment", name.Position);
            }

            _index++;
            fields.Add(new PathSegment(name.Text, ParseKeys(), name.Position));
        }

        return new PathNode(token.Position, fields);
    }

    private ListNode ParseList()
    {
        int position = Current.Position;
        _index++;
        var items = new List<ValueNode>();
        if (Current.Kind != TokenKind.RBracket)
        {
            items.Add(ParseValue());
            while (Current.Kind == TokenKind.Comma)
            {
                _index++;
                items.Add(ParseValue());
            }
        }

        Expect(TokenKind.RBracket, "expected \",\" or \"]\"");
        return new ListNode(position, items);
    }

    private List<KeyNode> ParseKeys()
    {
        List<KeyNode>? keys = null;
        while (Current.Kind == TokenKind.LBracket)
        {
            int position = Current.Position;
            _index++;
            var key = Current;
            KeyNode node = key.Kind switch
            {
                TokenKind.String => new KeyNode((string)key.Value!, 0, position),
                TokenKind.Int => new KeyNode(null, (long)key.Value!, position),
                _ => throw Lexer.Error(_text, "expected a string or integer key", key.Position),
            };
            _index++;
            Expect(TokenKind.RBracket, "expected \"]\"");
            (keys ??= []).Add(node);
        }

        return keys ?? [];
    }

    private static bool IsEnumName(string name)
    {
        bool hasLetter = false;
        foreach (char c in name)
        {
            if (char.IsAsciiLetterLower(c))
            {
                return false;
            }

            hasLetter |= char.IsAsciiLetterUpper(c);
        }

        return hasLetter;
    }
}
