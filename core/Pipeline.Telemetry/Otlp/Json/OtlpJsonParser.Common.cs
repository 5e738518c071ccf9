using System.Text.Json;
using Google.Protobuf.Collections;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;
using static Pipeline.Telemetry.Otlp.Json.JsonFieldReader;

namespace Pipeline.Telemetry.Otlp.Json;

/// <summary>
/// Parses OTLP/JSON straight into the generated protobuf types with a <see cref="Utf8JsonReader"/>. Each
/// <c>ParseX</c> method starts on the object's StartObject token and ends on its EndObject token.
/// </summary>
/// <remarks>
/// Field names are matched in lowerCamelCase and in the .proto's snake_case; unknown fields are skipped whole; a null
/// value is the same as an absent field. This file holds the messages shared by every signal.
/// </remarks>
internal static partial class OtlpJsonParser
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth };

    /// <summary>Runs <paramref name="parse"/> over a whole document, turning reader errors into <see cref="OtlpDecodeException"/>.</summary>
    public static T ParseDocument<T>(ReadOnlySpan<byte> utf8, string messageName, ParseFunc<T> parse)
    {
        if (utf8.IndexOfAnyExcept(" \t\r\n"u8) < 0)
        {
            throw new OtlpDecodeException($"Invalid OTLP/JSON: the {messageName} body is empty.");
        }

        var r = new Utf8JsonReader(utf8, ReaderOptions);
        try
        {
            r.Read();

            if (r.TokenType != JsonTokenType.StartObject)
            {
                throw new OtlpDecodeException($"Invalid OTLP/JSON at byte {r.TokenStartIndex}: the body must be a JSON object ({messageName}).");
            }

            T result = parse(ref r);

            // Anything but whitespace after the object makes the reader throw.
            if (r.Read())
            {
                throw new OtlpDecodeException($"Invalid OTLP/JSON at byte {r.TokenStartIndex}: unexpected data after the {messageName} object.");
            }

            return result;
        }
        catch (JsonException ex)
        {
            throw new OtlpDecodeException($"Invalid OTLP/JSON in {messageName}: {ex.Message}", ex);
        }
        catch (InvalidOperationException ex)
        {
            // Strings that are not valid UTF-8 fail only when transcoded.
            throw new OtlpDecodeException($"Invalid OTLP/JSON in {messageName}: {ex.Message}", ex);
        }
    }

    /// <summary>Parses one message starting on its StartObject token.</summary>
    public delegate T ParseFunc<out T>(ref Utf8JsonReader r);

    private static void ReadAttributes(ref Utf8JsonReader r, string owner, string field, RepeatedField<KeyValue> into)
    {
        ExpectArray(ref r, owner, field);
        while (NextObject(ref r, owner, field))
        {
            into.Add(ParseKeyValue(ref r));
        }
    }

    private static void ReadStrings(ref Utf8JsonReader r, string owner, string field, RepeatedField<string> into)
    {
        ExpectArray(ref r, owner, field);
        while (NextElement(ref r, owner, field))
        {
            into.Add(ReadString(ref r, owner, field));
        }
    }

    private static KeyValue ParseKeyValue(ref Utf8JsonReader r)
    {
        var kv = new KeyValue();
        while (NextProperty(ref r))
        {
            if (Is(ref r, "key"u8))
            {
                if (Value(ref r))
                {
                    kv.Key = ReadString(ref r, "KeyValue", "key");
                }
            }
            else if (Is(ref r, "value"u8))
            {
                if (Value(ref r))
                {
                    ExpectObject(ref r, "KeyValue", "value");
                    kv.Value = ParseAnyValue(ref r);
                }
            }
            else
            {
                SkipValue(ref r);
            }
        }

        return kv;
    }

    private static AnyValue ParseAnyValue(ref Utf8JsonReader r)
    {
        const string Owner = "AnyValue";
        var v = new AnyValue();
        while (NextProperty(ref r))
        {
            if (Is(ref r, "stringValue"u8, "string_value"u8))
            {
                if (Value(ref r))
                {
                    v.StringValue = ReadString(ref r, Owner, "stringValue");
                }
            }
            else if (Is(ref r, "intValue"u8, "int_value"u8))
            {
                if (Value(ref r))
                {
                    v.IntValue = ReadInt64(ref r, Owner, "intValue");
                }
            }
            else if (Is(ref r, "boolValue"u8, "bool_value"u8))
            {
                if (Value(ref r))
                {
                    v.BoolValue = ReadBool(ref r, Owner, "boolValue");
                }
            }
            else if (Is(ref r, "doubleValue"u8, "double_value"u8))
            {
                if (Value(ref r))
                {
                    v.DoubleValue = ReadDouble(ref r, Owner, "doubleValue");
                }
            }
            else if (Is(ref r, "arrayValue"u8, "array_value"u8))
            {
                if (Value(ref r))
                {
                    ExpectObject(ref r, Owner, "arrayValue");
                    var array = new ArrayValue();
                    ReadValueList(ref r, "ArrayValue", array.Values);
                    v.ArrayValue = array;
                }
            }
            else if (Is(ref r, "kvlistValue"u8, "kvlist_value"u8))
            {
                if (Value(ref r))
                {
                    ExpectObject(ref r, Owner, "kvlistValue");
                    var list = new KeyValueList();
                    while (NextProperty(ref r))
                    {
                        if (Is(ref r, "values"u8))
                        {
                            if (Value(ref r))
                            {
                                ReadAttributes(ref r, "KeyValueList", "values", list.Values);
                            }
                        }
                        else
                        {
                            SkipValue(ref r);
                        }
                    }

                    v.KvlistValue = list;
                }
            }
            else if (Is(ref r, "bytesValue"u8, "bytes_value"u8))
            {
                if (Value(ref r))
                {
                    v.BytesValue = ReadBase64(ref r, Owner, "bytesValue");
                }
            }
            else
            {
                SkipValue(ref r);
            }
        }

        return v;
    }

    private static void ReadValueList(ref Utf8JsonReader r, string owner, RepeatedField<AnyValue> into)
    {
        while (NextProperty(ref r))
        {
            if (Is(ref r, "values"u8))
            {
                if (Value(ref r))
                {
                    ExpectArray(ref r, owner, "values");
                    while (NextObject(ref r, owner, "values"))
                    {
                        into.Add(ParseAnyValue(ref r));
                    }
                }
            }
            else
            {
                SkipValue(ref r);
            }
        }
    }

    private static Resource ParseResource(ref Utf8JsonReader r)
    {
        const string Owner = "Resource";
        var resource = new Resource();
        while (NextProperty(ref r))
        {
            if (Is(ref r, "attributes"u8))
            {
                if (Value(ref r))
                {
                    ReadAttributes(ref r, Owner, "attributes", resource.Attributes);
                }
            }
            else if (Is(ref r, "droppedAttributesCount"u8, "dropped_attributes_count"u8))
            {
                if (Value(ref r))
                {
                    resource.DroppedAttributesCount = ReadUInt32(ref r, Owner, "droppedAttributesCount");
                }
            }
            else if (Is(ref r, "entityRefs"u8, "entity_refs"u8))
            {
                if (Value(ref r))
                {
                    ExpectArray(ref r, Owner, "entityRefs");
                    while (NextObject(ref r, Owner, "entityRefs"))
                    {
                        resource.EntityRefs.Add(ParseEntityRef(ref r));
                    }
                }
            }
            else
            {
                SkipValue(ref r);
            }
        }

        return resource;
    }

    private static EntityRef ParseEntityRef(ref Utf8JsonReader r)
    {
        const string Owner = "EntityRef";
        var entity = new EntityRef();
        while (NextProperty(ref r))
        {
            if (Is(ref r, "type"u8))
            {
                if (Value(ref r))
                {
                    entity.Type = ReadString(ref r, Owner, "type");
                }
            }
            else if (Is(ref r, "idKeys"u8, "id_keys"u8))
            {
                if (Value(ref r))
                {
                    ReadStrings(ref r, Owner, "idKeys", entity.IdKeys);
                }
            }
            else if (Is(ref r, "descriptionKeys"u8, "description_keys"u8))
            {
                if (Value(ref r))
                {
                    ReadStrings(ref r, Owner, "descriptionKeys", entity.DescriptionKeys);
                }
            }
            else if (Is(ref r, "schemaUrl"u8, "schema_url"u8))
            {
                if (Value(ref r))
                {
                    entity.SchemaUrl = ReadString(ref r, Owner, "schemaUrl");
                }
            }
            else
            {
                SkipValue(ref r);
            }
        }

        return entity;
    }

    private static InstrumentationScope ParseScope(ref Utf8JsonReader r)
    {
        const string Owner = "InstrumentationScope";
        var scope = new InstrumentationScope();
        while (NextProperty(ref r))
        {
            if (Is(ref r, "name"u8))
            {
                if (Value(ref r))
                {
                    scope.Name = ReadString(ref r, Owner, "name");
                }
            }
            else if (Is(ref r, "version"u8))
            {
                if (Value(ref r))
                {
                    scope.Version = ReadString(ref r, Owner, "version");
                }
            }
            else if (Is(ref r, "attributes"u8))
            {
                if (Value(ref r))
                {
                    ReadAttributes(ref r, Owner, "attributes", scope.Attributes);
                }
            }
            else if (Is(ref r, "droppedAttributesCount"u8, "dropped_attributes_count"u8))
            {
                if (Value(ref r))
                {
                    scope.DroppedAttributesCount = ReadUInt32(ref r, Owner, "droppedAttributesCount");
                }
            }
            else
            {
                SkipValue(ref r);
            }
        }

        return scope;
    }

    /// <summary>Reads past the value of an unknown property (the reader is on its name).</summary>
    private static void SkipValue(ref Utf8JsonReader r)
    {
        Next(ref r);
        Skip(ref r);
    }

    /// <summary>Reads a nested message field: the reader is on the property name; null leaves the field absent.</summary>
    private static bool BeginObject(ref Utf8JsonReader r, string owner, string field)
    {
        if (!Value(ref r))
        {
            return false;
        }

        ExpectObject(ref r, owner, field);
        return true;
    }

    /// <summary>Parses one object of a repeated message field.</summary>
    private delegate T ObjectParser<T>(ref Utf8JsonReader r);

    /// <summary>Reads a repeated message field into <paramref name="target"/>: the reader is on the property name;
    /// null means empty; each element must be an object.</summary>
    private static void ReadObjects<T>(ref Utf8JsonReader r, string owner, string field, Google.Protobuf.Collections.RepeatedField<T> target, ObjectParser<T> parse)
    {
        if (BeginArray(ref r, owner, field))
        {
            while (NextObject(ref r, owner, field))
            {
                target.Add(parse(ref r));
            }
        }
    }

    /// <summary>Reads a repeated field: the reader is on the property name; null means empty.</summary>
    private static bool BeginArray(ref Utf8JsonReader r, string owner, string field)
    {
        if (!Value(ref r))
        {
            return false;
        }

        ExpectArray(ref r, owner, field);
        return true;
    }
}
