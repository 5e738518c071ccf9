using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Pipeline.Processors.Common;

namespace Pipeline.Processors.Ottl;

/// <summary>The arguments of a converter call, handed to an <see cref="OttlFunction"/> factory at compile time.</summary>
public sealed class OttlCallArguments
{
    private readonly OttlExpression[] _args;

    internal OttlCallArguments(string name, OttlExpression[] args)
    {
        Name = name;
        _args = args;
    }

    /// <summary>The function name.</summary>
    public string Name { get; }

    /// <summary>The number of arguments.</summary>
    public int Count => _args.Length;

    /// <summary>The compiled argument.</summary>
    public OttlExpression this[int index] => _args[index];

    /// <summary>Checks the argument count.</summary>
    /// <exception cref="ArgumentException">The count differs.</exception>
    public void ExpectCount(int count)
    {
        if (_args.Length != count)
        {
            throw new ArgumentException($"incorrect number of arguments to \"{Name}\": expected {count.ToString(CultureInfo.InvariantCulture)}, got {_args.Length.ToString(CultureInfo.InvariantCulture)}");
        }
    }

    /// <summary>The argument as a string literal (OTTL requires literals for patterns and keys).</summary>
    /// <exception cref="ArgumentException">The argument is not a string literal.</exception>
    public string LiteralString(int index)
    {
        if (_args[index] is LiteralExpression { Value.Type: OttlType.String } literal)
        {
            return literal.Value.AsString;
        }

        throw new ArgumentException($"argument {index.ToString(CultureInfo.InvariantCulture)} of \"{Name}\" must be a string literal");
    }
}

/// <summary>A converter available to conditions: its name, the context it is restricted to (null = every context;
/// a restricted function also steers context inference) and the factory that compiles a call.</summary>
/// <param name="Name">The function name (upper-case first letter).</param>
/// <param name="Context">The only context the function is valid in, or null.</param>
/// <param name="Create">Compiles a call; throws <see cref="ArgumentException"/> with a message for bad arguments.</param>
public sealed record OttlFunction(string Name, OttlContext? Context, Func<OttlCallArguments, OttlExpression> Create);

/// <summary>The standard converters supported in conditions.</summary>
internal static class StandardFunctions
{
    public static readonly Dictionary<string, OttlFunction> All = Build();

    private static Dictionary<string, OttlFunction> Build()
    {
        var list = new OttlFunction[]
        {
            new("IsMatch", null, a =>
            {
                a.ExpectCount(2);
                string pattern = a.LiteralString(1);
                if (!GoRegex.TryCompile(pattern, out var regex, out string? error))
                {
                    throw new ArgumentException($"the pattern supplied to IsMatch is not a valid regexp pattern: {error}");
                }

                return new IsMatchFunction(a[0], regex);
            }),
            TypeCheck("IsString", OttlType.String),
            TypeCheck("IsInt", OttlType.Int),
            TypeCheck("IsDouble", OttlType.Double),
            TypeCheck("IsBool", OttlType.Bool),
            TypeCheck("IsMap", OttlType.Map),
            TypeCheck("IsList", OttlType.List),
            Unary("Len", v => v.Type switch
            {
                OttlType.String => OttlValue.Int(Encoding.UTF8.GetByteCount(v.AsString)),
                OttlType.Map or OttlType.List => OttlValue.Int(v.Count),
                _ => throw new OttlEvaluationException($"unsupported type provided to Len function: {v.TypeName}"),
            }),
            Unary("ToLowerCase", v => OttlValue.String(RequireString(v, "ToLowerCase").ToLowerInvariant())),
            Unary("ToUpperCase", v => OttlValue.String(RequireString(v, "ToUpperCase").ToUpperInvariant())),
            Unary("String", v => v.ToStringLike() is { } s ? OttlValue.String(s) : OttlValue.Nil),
            Unary("Int", ToInt),
            Unary("Double", ToDouble),
            new("Concat", null, a =>
            {
                a.ExpectCount(2);
                return new ConcatFunction(a[0], a.LiteralString(1));
            }),
            new("HasPrefix", null, a =>
            {
                a.ExpectCount(2);
                return new AffixFunction(a[0], a[1], prefix: true);
            }),
            new("HasSuffix", null, a =>
            {
                a.ExpectCount(2);
                return new AffixFunction(a[0], a[1], prefix: false);
            }),
            new("IsRootSpan", OttlContext.Span, a =>
            {
                a.ExpectCount(0);
                return new IsRootSpanFunction();
            }),
        };
        var d = new Dictionary<string, OttlFunction>(StringComparer.Ordinal);
        foreach (var f in list)
        {
            d[f.Name] = f;
        }

        return d;
    }

    private static OttlFunction TypeCheck(string name, OttlType type) => new(name, null, a =>
    {
        a.ExpectCount(1);
        return new TypeCheckFunction(a[0], type);
    });

    private static OttlFunction Unary(string name, Func<OttlValue, OttlValue> apply) => new(name, null, a =>
    {
        a.ExpectCount(1);
        return new UnaryFunction(a[0], apply);
    });

    private static string RequireString(OttlValue v, string function) =>
        v.Type == OttlType.String ? v.AsString : throw new OttlEvaluationException($"{function}: expected string but got {v.TypeName}");

    private static OttlValue ToInt(OttlValue v) => v.Type switch
    {
        OttlType.Int => v,
        OttlType.Double => OttlValue.Int((long)v.AsDouble),
        OttlType.Bool => OttlValue.Int(v.AsBool ? 1 : 0),
        OttlType.String => long.TryParse(v.AsString, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l) ? OttlValue.Int(l) : OttlValue.Nil,
        _ => OttlValue.Nil,
    };

    private static OttlValue ToDouble(OttlValue v) => v.Type switch
    {
        OttlType.Double => v,
        OttlType.Int => OttlValue.Double(v.AsInt),
        OttlType.Bool => OttlValue.Double(v.AsBool ? 1 : 0),
        OttlType.String => double.TryParse(v.AsString, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? OttlValue.Double(d) : OttlValue.Nil,
        _ => OttlValue.Nil,
    };
}

internal sealed class IsMatchFunction(OttlExpression target, Regex regex) : OttlExpression
{
    public override OttlValue Evaluate(OttlItem item)
    {
        string? s = target.Evaluate(item).ToStringLike();
        return OttlValue.Bool(s is not null && regex.IsMatch(s));
    }
}

internal sealed class TypeCheckFunction(OttlExpression target, OttlType type) : OttlExpression
{
    public override OttlValue Evaluate(OttlItem item) => OttlValue.Bool(target.Evaluate(item).Type == type);
}

internal sealed class UnaryFunction(OttlExpression target, Func<OttlValue, OttlValue> apply) : OttlExpression
{
    public override OttlValue Evaluate(OttlItem item) => apply(target.Evaluate(item));
}

/// <summary><c>Concat(values, delimiter)</c>: string-like values joined; nil items are skipped.</summary>
internal sealed class ConcatFunction(OttlExpression values, string delimiter) : OttlExpression
{
    public override OttlValue Evaluate(OttlItem item)
    {
        var list = values.Evaluate(item);
        if (list.Type != OttlType.List)
        {
            throw new OttlEvaluationException($"Concat: expected a list but got {list.TypeName}");
        }

        var sb = new StringBuilder();
        for (int i = 0; i < list.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(delimiter);
            }

            sb.Append(list.ItemAt(i).ToStringLike());
        }

        return OttlValue.String(sb.ToString());
    }
}

internal sealed class AffixFunction(OttlExpression target, OttlExpression affix, bool prefix) : OttlExpression
{
    public override OttlValue Evaluate(OttlItem item)
    {
        var t = target.Evaluate(item);
        var a = affix.Evaluate(item);
        if (t.Type != OttlType.String || a.Type != OttlType.String)
        {
            throw new OttlEvaluationException($"{(prefix ? "HasPrefix" : "HasSuffix")}: expected string but got {(t.Type != OttlType.String ? t.TypeName : a.TypeName)}");
        }

        return OttlValue.Bool(prefix
            ? t.AsString.StartsWith(a.AsString, StringComparison.Ordinal)
            : t.AsString.EndsWith(a.AsString, StringComparison.Ordinal));
    }
}

internal sealed class IsRootSpanFunction : OttlExpression
{
    public override OttlValue Evaluate(OttlItem item) => OttlValue.Bool(item.Span is { } s && s.ParentSpanId.IsEmpty);
}
