using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Collections;
using OpenTelemetry.Proto.Common.V1;
using Pipeline.Processors.Common;

namespace Pipeline.Processors.Ottl;

/// <summary>The type of an <see cref="OttlValue"/>, mirroring the Go types OTTL getters return.</summary>
public enum OttlType
{
    /// <summary>No value (<c>nil</c>), e.g. a missing attribute.</summary>
    Nil,

    /// <summary>A boolean.</summary>
    Bool,

    /// <summary>A 64-bit integer (also every enum).</summary>
    Int,

    /// <summary>A 64-bit float.</summary>
    Double,

    /// <summary>A string.</summary>
    String,

    /// <summary>A byte string (IDs and bytes attributes).</summary>
    Bytes,

    /// <summary>A map (attributes or a kvlist value).</summary>
    Map,

    /// <summary>A list (an array value or a list literal).</summary>
    List,
}

/// <summary>A value produced while evaluating an OTTL expression. A struct so scalar results never box.</summary>
public readonly struct OttlValue
{
    private readonly long _int;
    private readonly double _double;
    private readonly object? _ref;

    private OttlValue(OttlType type, long i, double d, object? r)
    {
        Type = type;
        _int = i;
        _double = d;
        _ref = r;
    }

    /// <summary>The value's type.</summary>
    public OttlType Type { get; }

    /// <summary>The nil value.</summary>
    public static OttlValue Nil => default;

    /// <summary>True when the value is nil.</summary>
    public bool IsNil => Type == OttlType.Nil;

    /// <summary>The boolean (valid when <see cref="Type"/> is Bool).</summary>
    public bool AsBool => _int != 0;

    /// <summary>The integer (valid when <see cref="Type"/> is Int).</summary>
    public long AsInt => _int;

    /// <summary>The double (valid when <see cref="Type"/> is Double).</summary>
    public double AsDouble => _double;

    /// <summary>The string (valid when <see cref="Type"/> is String).</summary>
    public string AsString => (string)_ref!;

    /// <summary>The bytes (valid when <see cref="Type"/> is Bytes).</summary>
    public ByteString AsBytes => (ByteString)_ref!;

    /// <summary>The underlying map or list object: <c>RepeatedField&lt;KeyValue&gt;</c>, <c>RepeatedField&lt;AnyValue&gt;</c>
    /// or <c>OttlValue[]</c>.</summary>
    public object? Reference => _ref;

    /// <summary>Creates a boolean value.</summary>
    public static OttlValue Bool(bool value) => new(OttlType.Bool, value ? 1 : 0, 0, null);

    /// <summary>Creates an integer value.</summary>
    public static OttlValue Int(long value) => new(OttlType.Int, value, 0, null);

    /// <summary>Creates a double value.</summary>
    public static OttlValue Double(double value) => new(OttlType.Double, 0, value, null);

    /// <summary>Creates a string value.</summary>
    public static OttlValue String(string value) => new(OttlType.String, 0, 0, value);

    /// <summary>Creates a bytes value.</summary>
    public static OttlValue Bytes(ByteString value) => new(OttlType.Bytes, 0, 0, value);

    /// <summary>Creates a map value over attributes.</summary>
    public static OttlValue Map(RepeatedField<KeyValue> value) => new(OttlType.Map, 0, 0, value);

    /// <summary>Creates a list value over an array value's items.</summary>
    public static OttlValue List(RepeatedField<AnyValue> value) => new(OttlType.List, 0, 0, value);

    /// <summary>Creates a list value from a list literal.</summary>
    public static OttlValue List(OttlValue[] value) => new(OttlType.List, 0, 0, value);

    /// <summary>Converts an OTLP value (null or empty → nil).</summary>
    public static OttlValue FromAnyValue(AnyValue? value)
    {
        if (value is null)
        {
            return Nil;
        }

        return value.ValueCase switch
        {
            AnyValue.ValueOneofCase.StringValue => String(value.StringValue),
            AnyValue.ValueOneofCase.BoolValue => Bool(value.BoolValue),
            AnyValue.ValueOneofCase.IntValue => Int(value.IntValue),
            AnyValue.ValueOneofCase.DoubleValue => Double(value.DoubleValue),
            AnyValue.ValueOneofCase.BytesValue => Bytes(value.BytesValue),
            AnyValue.ValueOneofCase.KvlistValue => Map(value.KvlistValue.Values),
            AnyValue.ValueOneofCase.ArrayValue => List(value.ArrayValue.Values),
            _ => Nil,
        };
    }

    /// <summary>The number of entries of a map or items of a list.</summary>
    public int Count => _ref switch
    {
        RepeatedField<KeyValue> m => m.Count,
        RepeatedField<AnyValue> l => l.Count,
        OttlValue[] a => a.Length,
        _ => 0,
    };

    /// <summary>The list item at <paramref name="index"/> (valid when <see cref="Type"/> is List).</summary>
    public OttlValue ItemAt(int index) => _ref switch
    {
        RepeatedField<AnyValue> l => FromAnyValue(l[index]),
        OttlValue[] a => a[index],
        _ => Nil,
    };

    /// <summary>OTTL's type name used in error messages (Go's names).</summary>
    public string TypeName => Type switch
    {
        OttlType.Nil => "nil",
        OttlType.Bool => "bool",
        OttlType.Int => "int64",
        OttlType.Double => "float64",
        OttlType.String => "string",
        OttlType.Bytes => "[]byte",
        OttlType.Map => "pcommon.Map",
        _ => "pcommon.Slice",
    };

    /// <summary>The value as OTTL's "string-like" getters see it: strings as-is, numbers and booleans formatted, bytes as
    /// lower-case hex, maps and lists as JSON; null for nil.</summary>
    public string? ToStringLike()
    {
        switch (Type)
        {
            case OttlType.Nil:
                return null;
            case OttlType.String:
                return AsString;
            case OttlType.Bool:
                return AsBool ? "true" : "false";
            case OttlType.Int:
                return _int.ToString(CultureInfo.InvariantCulture);
            case OttlType.Double:
                return AttributeValues.FormatDouble(_double);
            case OttlType.Bytes:
                return Convert.ToHexStringLower(AsBytes.Span);
            default:
                return AttributeValues.AsString(ToAnyValue());
        }
    }

    /// <summary>Converts back to an OTLP value (used for JSON formatting and structural equality).</summary>
    public AnyValue ToAnyValue()
    {
        switch (Type)
        {
            case OttlType.String:
                return new AnyValue { StringValue = AsString };
            case OttlType.Bool:
                return new AnyValue { BoolValue = AsBool };
            case OttlType.Int:
                return new AnyValue { IntValue = _int };
            case OttlType.Double:
                return new AnyValue { DoubleValue = _double };
            case OttlType.Bytes:
                return new AnyValue { BytesValue = AsBytes };
            case OttlType.Map:
                var kv = new KeyValueList();
                kv.Values.Add((RepeatedField<KeyValue>)_ref!);
                return new AnyValue { KvlistValue = kv };
            case OttlType.List:
                var array = new ArrayValue();
                int n = Count;
                for (int i = 0; i < n; i++)
                {
                    array.Values.Add(ItemAt(i).ToAnyValue());
                }

                return new AnyValue { ArrayValue = array };
            default:
                return new AnyValue();
        }
    }
}
