using Google.Protobuf.Collections;
using OpenTelemetry.Proto.Common.V1;

namespace Pipeline.Processors.Ottl;

/// <summary>A comparison operator.</summary>
public enum CompareOp
{
    /// <summary><c>==</c></summary>
    Eq,

    /// <summary><c>!=</c></summary>
    Ne,

    /// <summary><c>&lt;</c></summary>
    Lt,

    /// <summary><c>&lt;=</c></summary>
    Le,

    /// <summary><c>&gt;</c></summary>
    Gt,

    /// <summary><c>&gt;=</c></summary>
    Ge,
}

/// <summary>OTTL's typed comparison rules (<c>pkg/ottl/compare.go</c>): nil equals only nil; ints and doubles compare
/// numerically with each other; strings and bytes compare lexically (ordinal); booleans, maps and lists support only
/// <c>==</c>/<c>!=</c>; any other pairing is an invalid comparison, which is true for <c>!=</c> and false otherwise.</summary>
public static class OttlCompare
{
    /// <summary>Compares two values with <paramref name="op"/>.</summary>
    public static bool Compare(in OttlValue left, in OttlValue right, CompareOp op)
    {
        switch (left.Type)
        {
            case OttlType.Nil:
                return op switch
                {
                    CompareOp.Eq => right.IsNil,
                    CompareOp.Ne => !right.IsNil,
                    _ => false,
                };
            case OttlType.Bool:
                if (right.Type != OttlType.Bool)
                {
                    return Invalid(op);
                }

                return op switch
                {
                    CompareOp.Eq => left.AsBool == right.AsBool,
                    CompareOp.Ne => left.AsBool != right.AsBool,
                    _ => false,
                };
            case OttlType.Int:
                if (right.Type == OttlType.Int)
                {
                    return Ordered(left.AsInt.CompareTo(right.AsInt), op);
                }

                return right.Type == OttlType.Double ? Doubles(left.AsInt, right.AsDouble, op) : Invalid(op);
            case OttlType.Double:
                if (right.Type == OttlType.Double)
                {
                    return Doubles(left.AsDouble, right.AsDouble, op);
                }

                return right.Type == OttlType.Int ? Doubles(left.AsDouble, right.AsInt, op) : Invalid(op);
            case OttlType.String:
                return right.Type == OttlType.String
                    ? Ordered(string.CompareOrdinal(left.AsString, right.AsString), op)
                    : Invalid(op);
            case OttlType.Bytes:
                return right.Type == OttlType.Bytes
                    ? Ordered(left.AsBytes.Span.SequenceCompareTo(right.AsBytes.Span), op)
                    : Invalid(op);
            case OttlType.Map:
            case OttlType.List:
                if (right.Type != left.Type)
                {
                    return Invalid(op);
                }

                return op switch
                {
                    CompareOp.Eq => StructurallyEqual(left, right),
                    CompareOp.Ne => !StructurallyEqual(left, right),
                    _ => false,
                };
            default:
                return Invalid(op);
        }
    }

    private static bool Invalid(CompareOp op) => op == CompareOp.Ne;

    private static bool Doubles(double a, double b, CompareOp op) => op switch
    {
        CompareOp.Eq => a == b,
        CompareOp.Ne => a != b,
        CompareOp.Lt => a < b,
        CompareOp.Le => a <= b,
        CompareOp.Gt => a > b,
        _ => a >= b,
    };

    private static bool Ordered(int c, CompareOp op) => op switch
    {
        CompareOp.Eq => c == 0,
        CompareOp.Ne => c != 0,
        CompareOp.Lt => c < 0,
        CompareOp.Le => c <= 0,
        CompareOp.Gt => c > 0,
        _ => c >= 0,
    };

    private static bool StructurallyEqual(in OttlValue a, in OttlValue b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        if (a.Type == OttlType.List)
        {
            for (int i = 0; i < a.Count; i++)
            {
                if (!Compare(a.ItemAt(i), b.ItemAt(i), CompareOp.Eq))
                {
                    return false;
                }
            }

            return true;
        }

        var left = (RepeatedField<KeyValue>)a.Reference!;
        var right = (RepeatedField<KeyValue>)b.Reference!;
        foreach (var kv in left)
        {
            var other = Common.AttributeValues.Get(right, kv.Key);
            if (other is null || !Compare(OttlValue.FromAnyValue(kv.Value), OttlValue.FromAnyValue(other), CompareOp.Eq))
            {
                return false;
            }
        }

        return true;
    }
}
