using System.Globalization;

namespace Pipeline.Processors.Ottl;

/// <summary>A compiled value expression (path, literal or converter call). Evaluation allocates nothing for scalar
/// results; implementations are immutable and thread-safe.</summary>
public abstract class OttlExpression
{
    /// <summary>Evaluates the expression against an item.</summary>
    /// <exception cref="OttlEvaluationException">The value cannot be computed (e.g. wrong argument type).</exception>
    public abstract OttlValue Evaluate(OttlItem item);
}

/// <summary>A compiled boolean expression.</summary>
internal abstract class BoolExpression
{
    public abstract bool Evaluate(OttlItem item);
}

internal sealed class OrExpression(BoolExpression[] terms) : BoolExpression
{
    public override bool Evaluate(OttlItem item)
    {
        foreach (var term in terms)
        {
            if (term.Evaluate(item))
            {
                return true;
            }
        }

        return false;
    }
}

internal sealed class AndExpression(BoolExpression[] terms) : BoolExpression
{
    public override bool Evaluate(OttlItem item)
    {
        foreach (var term in terms)
        {
            if (!term.Evaluate(item))
            {
                return false;
            }
        }

        return true;
    }
}

internal sealed class NotExpression(BoolExpression inner) : BoolExpression
{
    public override bool Evaluate(OttlItem item) => !inner.Evaluate(item);
}

internal sealed class CompareExpression(OttlExpression left, CompareOp op, OttlExpression right) : BoolExpression
{
    public override bool Evaluate(OttlItem item) => OttlCompare.Compare(left.Evaluate(item), right.Evaluate(item), op);
}

/// <summary>A converter (or boolean literal) used directly as a condition; it must produce a bool.</summary>
internal sealed class ValueAsBoolExpression(OttlExpression value) : BoolExpression
{
    public override bool Evaluate(OttlItem item)
    {
        var v = value.Evaluate(item);
        return v.Type == OttlType.Bool ? v.AsBool : throw new OttlEvaluationException($"expected bool but got {v.TypeName}");
    }
}

internal sealed class LiteralExpression(OttlValue value) : OttlExpression
{
    public OttlValue Value { get; } = value;

    public override OttlValue Evaluate(OttlItem item) => Value;
}

internal sealed class ListExpression(OttlExpression[] items) : OttlExpression
{
    public OttlExpression[] Items { get; } = items;

    public override OttlValue Evaluate(OttlItem item)
    {
        var values = new OttlValue[Items.Length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Items[i].Evaluate(item);
        }

        return OttlValue.List(values);
    }
}

/// <summary>Applies <c>["k"]</c> / <c>[0]</c> keys to the value of an inner expression.</summary>
internal sealed class IndexExpression(OttlExpression inner, KeyNode[] keys) : OttlExpression
{
    public override OttlValue Evaluate(OttlItem item) => Apply(inner.Evaluate(item), keys);

    public static OttlValue Apply(OttlValue value, KeyNode[] keys)
    {
        foreach (var key in keys)
        {
            switch (value.Type)
            {
                case OttlType.Nil:
                    return OttlValue.Nil;
                case OttlType.Map when key.Name is not null:
                    value = OttlValue.FromAnyValue(Common.AttributeValues.Get(
                        (Google.Protobuf.Collections.RepeatedField<OpenTelemetry.Proto.Common.V1.KeyValue>)value.Reference!, key.Name));
                    break;
                case OttlType.List when key.Name is null:
                    if (key.Index < 0 || key.Index >= value.Count)
                    {
                        throw new OttlEvaluationException($"index {key.Index.ToString(CultureInfo.InvariantCulture)} out of bounds");
                    }

                    value = value.ItemAt((int)key.Index);
                    break;
                case OttlType.Map:
                    throw new OttlEvaluationException("map must be indexed by a string key");
                case OttlType.List:
                    throw new OttlEvaluationException("slice must be indexed by an integer key");
                default:
                    throw new OttlEvaluationException($"type {value.TypeName} does not support indexing");
            }
        }

        return value;
    }
}
