namespace Pipeline.Processors.Ottl;

/// <summary>A compiled OTTL condition for one context. Compile once with <see cref="Parse"/>, then call
/// <see cref="Evaluate"/> per item; thread-safe.</summary>
public sealed class OttlCondition
{
    private readonly BoolExpression _root;

    private OttlCondition(string text, OttlContext context, BoolExpression root)
    {
        Text = text;
        Context = context;
        _root = root;
    }

    /// <summary>The condition as written.</summary>
    public string Text { get; }

    /// <summary>The context the condition evaluates in.</summary>
    public OttlContext Context { get; }

    /// <summary>Evaluates the condition.</summary>
    /// <exception cref="OttlEvaluationException">A value could not be computed; the caller applies its error mode.</exception>
    public bool Evaluate(OttlItem item) => _root.Evaluate(item);

    /// <summary>Parses and compiles a condition for <paramref name="context"/>. Paths without a context prefix belong to
    /// that context; prefixed paths may name it or one of its parents (<c>resource.attributes["k"]</c>).</summary>
    /// <param name="text">The condition.</param>
    /// <param name="context">The context to compile for.</param>
    /// <param name="functions">Extra converters (e.g. the filter processor's <c>HasAttrOnDatapoint</c>), or null.</param>
    /// <exception cref="OttlParseException">The condition does not parse or names an unknown path, function or enum;
    /// the message names the condition and the position.</exception>
    public static OttlCondition Parse(string text, OttlContext context, IReadOnlyList<OttlFunction>? functions = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tree = Parser.Parse(text);
        return new OttlCondition(text, context, new Compiler(text, context, functions).Compile(tree));
    }

    /// <summary>Infers the context of a group of conditions, as otelcol does for flat condition lists: the deepest
    /// context among the path prefixes, enum symbols and context-bound functions used; when nothing names a context,
    /// the first of <paramref name="candidates"/> all conditions compile in.</summary>
    /// <param name="conditions">The conditions of the group.</param>
    /// <param name="candidates">The contexts the signal allows, preferred first (e.g. span, spanevent, scope, resource).</param>
    /// <param name="functions">Extra converters, or null.</param>
    /// <exception cref="OttlParseException">A condition does not parse, or names a context the signal does not have.</exception>
    public static OttlContext InferContext(IReadOnlyList<string> conditions, IReadOnlyList<OttlContext> candidates, IReadOnlyList<OttlFunction>? functions = null)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        ArgumentNullException.ThrowIfNull(candidates);
        OttlContext? best = null;
        foreach (string condition in conditions)
        {
            var mentioned = new List<(OttlContext Context, int Position)>();
            Compiler.CollectContexts(Parser.Parse(condition), functions, mentioned);
            foreach (var (context, position) in mentioned)
            {
                if (!Contains(candidates, context))
                {
                    throw Lexer.Error(condition, $"context \"{OttlContexts.Name(context)}\" is not valid for this signal", position);
                }

                if (best is null || OttlContexts.Depth(context) > OttlContexts.Depth(best.Value))
                {
                    best = context;
                }
            }
        }

        if (best is not null)
        {
            return best.Value;
        }

        OttlParseException? first = null;
        foreach (var candidate in candidates)
        {
            try
            {
                foreach (string condition in conditions)
                {
                    Parse(condition, candidate, functions);
                }

                return candidate;
            }
            catch (OttlParseException e)
            {
                first ??= e;
            }
        }

        throw first ?? new OttlParseException("no context candidates");
    }

    private static bool Contains(IReadOnlyList<OttlContext> list, OttlContext value)
    {
        foreach (var c in list)
        {
            if (c == value)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Turns a syntax tree into evaluator objects for one context.</summary>
internal sealed class Compiler(string text, OttlContext context, IReadOnlyList<OttlFunction>? functions)
{
    public BoolExpression Compile(BoolNode node)
    {
        switch (node)
        {
            case OrNode or:
                return new OrExpression(CompileAll(or.Terms));
            case AndNode and:
                return new AndExpression(CompileAll(and.Terms));
            case NotNode not:
                return new NotExpression(Compile(not.Inner));
            case ComparisonNode cmp:
                return new CompareExpression(CompileValue(cmp.Left), cmp.Op, CompileValue(cmp.Right));
            case BoolValueNode value:
                var compiled = CompileValue(value.Value);
                if (compiled is LiteralExpression { Value.Type: OttlType.Bool } literal)
                {
                    return literal.Value.AsBool ? TrueExpression.Instance : new NotExpression(TrueExpression.Instance);
                }

                return new ValueAsBoolExpression(compiled);
            default:
                throw new InvalidOperationException("Unknown syntax node.");
        }
    }

    /// <summary>Collects the contexts a tree names (path prefixes, enums, context-bound functions).</summary>
    public static void CollectContexts(BoolNode node, IReadOnlyList<OttlFunction>? functions, List<(OttlContext, int)> found)
    {
        switch (node)
        {
            case OrNode or:
                foreach (var t in or.Terms)
                {
                    CollectContexts(t, functions, found);
                }

                break;
            case AndNode and:
                foreach (var t in and.Terms)
                {
                    CollectContexts(t, functions, found);
                }

                break;
            case NotNode not:
                CollectContexts(not.Inner, functions, found);
                break;
            case ComparisonNode cmp:
                CollectContexts(cmp.Left, functions, found);
                CollectContexts(cmp.Right, functions, found);
                break;
            case BoolValueNode value:
                CollectContexts(value.Value, functions, found);
                break;
        }
    }

    private static void CollectContexts(ValueNode node, IReadOnlyList<OttlFunction>? functions, List<(OttlContext, int)> found)
    {
        switch (node)
        {
            case PathNode path when path.Fields.Count > 1 && path.Fields[0].Keys.Count == 0
                && OttlContexts.TryParse(path.Fields[0].Name, out var ctx):
                found.Add((ctx, path.Position));
                break;
            case EnumNode e when OttlEnums.ContextOf(e.Name) is { } enumContext:
                found.Add((enumContext, e.Position));
                break;
            case CallNode call:
                if (FindFunction(call.Name, functions) is { Context: { } fc })
                {
                    found.Add((fc, call.Position));
                }

                foreach (var a in call.Args)
                {
                    CollectContexts(a, functions, found);
                }

                break;
            case ListNode list:
                foreach (var i in list.Items)
                {
                    CollectContexts(i, functions, found);
                }

                break;
        }
    }

    private static OttlFunction? FindFunction(string name, IReadOnlyList<OttlFunction>? functions)
    {
        if (functions is not null)
        {
            foreach (var f in functions)
            {
                if (f.Name == name)
                {
                    return f;
                }
            }
        }

        return StandardFunctions.All.GetValueOrDefault(name);
    }

    private BoolExpression[] CompileAll(List<BoolNode> nodes)
    {
        var result = new BoolExpression[nodes.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = Compile(nodes[i]);
        }

        return result;
    }

    private OttlExpression CompileValue(ValueNode node)
    {
        switch (node)
        {
            case LiteralNode literal:
                return new LiteralExpression(literal.Value);
            case EnumNode e:
                return new LiteralExpression(OttlValue.Int(e.Value));
            case ListNode list:
                var items = new OttlExpression[list.Items.Count];
                for (int i = 0; i < items.Length; i++)
                {
                    items[i] = CompileValue(list.Items[i]);
                }

                return new ListExpression(items);
            case PathNode path:
                return CompilePath(path);
            case CallNode call:
                return CompileCall(call);
            default:
                throw new InvalidOperationException("Unknown syntax node.");
        }
    }

    private OttlExpression CompileCall(CallNode call)
    {
        var function = FindFunction(call.Name, functions)
            ?? throw Lexer.Error(text, $"undefined function \"{call.Name}\"", call.Position);
        if (function.Context is { } only && only != context && !(only == OttlContext.Span && context == OttlContext.SpanEvent))
        {
            throw Lexer.Error(text, $"function \"{call.Name}\" is not valid in the {OttlContexts.Name(context)} context", call.Position);
        }

        var args = new OttlExpression[call.Args.Count];
        for (int i = 0; i < args.Length; i++)
        {
            args[i] = CompileValue(call.Args[i]);
        }

        OttlExpression compiled;
        try
        {
            compiled = function.Create(new OttlCallArguments(call.Name, args));
        }
        catch (ArgumentException e)
        {
            throw Lexer.Error(text, e.Message, call.Position);
        }

        return call.Keys.Count == 0 ? compiled : new IndexExpression(compiled, [.. call.Keys]);
    }

    private OttlExpression CompilePath(PathNode path)
    {
        var fields = path.Fields;
        int start = 0;
        var owner = context;
        if (fields.Count > 1 && fields[0].Keys.Count == 0 && OttlContexts.TryParse(fields[0].Name, out var prefix))
        {
            if (!OttlContexts.CanRead(context, prefix))
            {
                throw Lexer.Error(text, $"path \"{path.Text}\" is not valid in the {OttlContexts.Name(context)} context", path.Position);
            }

            owner = prefix;
            start = 1;
        }

        var keys = new List<KeyNode>();
        var name = new System.Text.StringBuilder();
        for (int i = start; i < fields.Count; i++)
        {
            if (keys.Count > 0)
            {
                throw Lexer.Error(text, $"unknown path \"{path.Text}\" for the {OttlContexts.Name(owner)} context", fields[i].Position);
            }

            if (i > start)
            {
                name.Append('.');
            }

            name.Append(fields[i].Name);
            keys.AddRange(fields[i].Keys);
        }

        var field = PathExpression.Resolve(owner, name.ToString())
            ?? throw Lexer.Error(text, $"unknown path \"{path.Text}\" for the {OttlContexts.Name(owner)} context", path.Position);
        var getter = new PathExpression(field);
        return keys.Count == 0 ? getter : new IndexExpression(getter, [.. keys]);
    }
}

internal sealed class TrueExpression : BoolExpression
{
    public static readonly TrueExpression Instance = new();

    public override bool Evaluate(OttlItem item) => true;
}
