using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Collections;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;

namespace Pipeline.Telemetry.Otlp.Json;

/// <summary>
/// Writes the generated protobuf types as OTLP/JSON with a <see cref="Utf8JsonWriter"/>: lowerCamelCase keys, ids as
/// lower-case hex, enums as integers, 64-bit integers as decimal strings, non-finite doubles as "NaN"/"Infinity"/
/// "-Infinity", and (as protojson does) fields at their default value left out, except members of a oneof and
/// proto3 <c>optional</c> fields, which are written whenever they are set.
/// </summary>
internal static partial class OtlpJsonWriter
{
    /// <summary>Compact output; non-ASCII text stays UTF-8 rather than \u escapes, as Go's encoders write it.</summary>
    public static readonly JsonWriterOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = true,
    };

    private static void WriteString(Utf8JsonWriter w, ReadOnlySpan<byte> name, string value)
    {
        if (value.Length != 0)
        {
            w.WriteString(name, value);
        }
    }

    /// <summary>A fixed64/uint64 field as a decimal string, omitted when zero.</summary>
    private static void WriteUInt64(Utf8JsonWriter w, ReadOnlySpan<byte> name, ulong value)
    {
        if (value != 0)
        {
            WriteUInt64Always(w, name, value);
        }
    }

    private static void WriteUInt64Always(Utf8JsonWriter w, ReadOnlySpan<byte> name, ulong value)
    {
        Span<byte> buffer = stackalloc byte[20];
        value.TryFormat(buffer, out int n, default, CultureInfo.InvariantCulture);
        w.WriteString(name, buffer[..n]);
    }

    /// <summary>An int64/sfixed64 field as a decimal string, written even when zero (callers decide).</summary>
    private static void WriteInt64Always(Utf8JsonWriter w, ReadOnlySpan<byte> name, long value)
    {
        Span<byte> buffer = stackalloc byte[20];
        value.TryFormat(buffer, out int n, default, CultureInfo.InvariantCulture);
        w.WriteString(name, buffer[..n]);
    }

    private static void WriteUInt32(Utf8JsonWriter w, ReadOnlySpan<byte> name, uint value)
    {
        if (value != 0)
        {
            w.WriteNumber(name, value);
        }
    }

    private static void WriteInt32(Utf8JsonWriter w, ReadOnlySpan<byte> name, int value)
    {
        if (value != 0)
        {
            w.WriteNumber(name, value);
        }
    }

    /// <summary>A plain double field, omitted when its bits are zero (so -0.0 is still written, as protobuf does).</summary>
    private static void WriteDouble(Utf8JsonWriter w, ReadOnlySpan<byte> name, double value)
    {
        if (BitConverter.DoubleToInt64Bits(value) != 0)
        {
            WriteDoubleAlways(w, name, value);
        }
    }

    private static void WriteDoubleAlways(Utf8JsonWriter w, ReadOnlySpan<byte> name, double value)
    {
        w.WritePropertyName(name);
        WriteDoubleValue(w, value);
    }

    private static void WriteDoubleValue(Utf8JsonWriter w, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumberValue(value);
        }
        else if (double.IsNaN(value))
        {
            w.WriteStringValue("NaN"u8);
        }
        else
        {
            w.WriteStringValue(value > 0 ? "Infinity"u8 : "-Infinity"u8);
        }
    }

    /// <summary>A trace or span id as lower-case hex, omitted when empty.</summary>
    private static void WriteHex(Utf8JsonWriter w, ReadOnlySpan<byte> name, ByteString id)
    {
        if (id.IsEmpty)
        {
            return;
        }

        var bytes = id.Span;
        Span<byte> hex = bytes.Length <= 32 ? stackalloc byte[64] : new byte[bytes.Length * 2];
        for (int i = 0; i < bytes.Length; i++)
        {
            hex[2 * i] = HexDigit(bytes[i] >> 4);
            hex[(2 * i) + 1] = HexDigit(bytes[i] & 0xF);
        }

        w.WriteString(name, hex[..(bytes.Length * 2)]);
    }

    private static byte HexDigit(int nibble) => (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);

    private static void WriteAttributes(Utf8JsonWriter w, ReadOnlySpan<byte> name, RepeatedField<KeyValue> attributes)
    {
        if (attributes.Count == 0)
        {
            return;
        }

        w.WriteStartArray(name);
        foreach (var kv in attributes)
        {
            WriteKeyValue(w, kv);
        }

        w.WriteEndArray();
    }

    private static void WriteKeyValue(Utf8JsonWriter w, KeyValue kv)
    {
        w.WriteStartObject();
        WriteString(w, "key"u8, kv.Key);
        if (kv.Value is not null)
        {
            w.WritePropertyName("value"u8);
            WriteAnyValue(w, kv.Value);
        }

        w.WriteEndObject();
    }

    private static void WriteAnyValue(Utf8JsonWriter w, AnyValue v)
    {
        w.WriteStartObject();
        switch (v.ValueCase)
        {
            case AnyValue.ValueOneofCase.StringValue:
                w.WriteString("stringValue"u8, v.StringValue);
                break;
            case AnyValue.ValueOneofCase.BoolValue:
                w.WriteBoolean("boolValue"u8, v.BoolValue);
                break;
            case AnyValue.ValueOneofCase.IntValue:
                WriteInt64Always(w, "intValue"u8, v.IntValue);
                break;
            case AnyValue.ValueOneofCase.DoubleValue:
                WriteDoubleAlways(w, "doubleValue"u8, v.DoubleValue);
                break;
            case AnyValue.ValueOneofCase.ArrayValue:
                w.WriteStartObject("arrayValue"u8);
                if (v.ArrayValue.Values.Count != 0)
                {
                    w.WriteStartArray("values"u8);
                    foreach (var item in v.ArrayValue.Values)
                    {
                        WriteAnyValue(w, item);
                    }

                    w.WriteEndArray();
                }

                w.WriteEndObject();
                break;
            case AnyValue.ValueOneofCase.KvlistValue:
                w.WriteStartObject("kvlistValue"u8);
                WriteAttributes(w, "values"u8, v.KvlistValue.Values);
                w.WriteEndObject();
                break;
            case AnyValue.ValueOneofCase.BytesValue:
                w.WriteBase64String("bytesValue"u8, v.BytesValue.Span);
                break;
        }

        w.WriteEndObject();
    }

    private static void WriteResource(Utf8JsonWriter w, Resource? resource)
    {
        if (resource is null)
        {
            return;
        }

        w.WriteStartObject("resource"u8);
        WriteAttributes(w, "attributes"u8, resource.Attributes);
        WriteUInt32(w, "droppedAttributesCount"u8, resource.DroppedAttributesCount);
        if (resource.EntityRefs.Count != 0)
        {
            w.WriteStartArray("entityRefs"u8);
            foreach (var entity in resource.EntityRefs)
            {
                w.WriteStartObject();
                WriteString(w, "schemaUrl"u8, entity.SchemaUrl);
                WriteString(w, "type"u8, entity.Type);
                WriteStrings(w, "idKeys"u8, entity.IdKeys);
                WriteStrings(w, "descriptionKeys"u8, entity.DescriptionKeys);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter w, ReadOnlySpan<byte> name, RepeatedField<string> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }

    private static void WriteScope(Utf8JsonWriter w, InstrumentationScope? scope)
    {
        if (scope is null)
        {
            return;
        }

        w.WriteStartObject("scope"u8);
        WriteString(w, "name"u8, scope.Name);
        WriteString(w, "version"u8, scope.Version);
        WriteAttributes(w, "attributes"u8, scope.Attributes);
        WriteUInt32(w, "droppedAttributesCount"u8, scope.DroppedAttributesCount);
        w.WriteEndObject();
    }
}
