using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Collections;
using OpenTelemetry.Proto.Common.V1;
using Pipeline.Abstractions.Configuration;

namespace Pipeline.Processors.Common;

/// <summary>Attribute value helpers with pdata's semantics (<c>pcommon.Value</c>, <c>pcommon.Map</c>).</summary>
public static class AttributeValues
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The index of <paramref name="key"/> in an attribute list, or -1.</summary>
    public static int IndexOf(RepeatedField<KeyValue> attributes, string key)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        for (int i = 0; i < attributes.Count; i++)
        {
            if (string.Equals(attributes[i].Key, key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The value of <paramref name="key"/>, or null when absent. A present key with no value reads as an empty value.</summary>
    public static AnyValue? Get(RepeatedField<KeyValue> attributes, string key)
    {
        int i = IndexOf(attributes, key);
        return i < 0 ? null : attributes[i].Value ?? new AnyValue();
    }

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/> (not copied), adding it when absent.</summary>
    public static void Put(RepeatedField<KeyValue> attributes, string key, AnyValue value)
    {
        int i = IndexOf(attributes, key);
        if (i >= 0)
        {
            attributes[i].Value = value;
        }
        else
        {
            attributes.Add(new KeyValue { Key = key, Value = value });
        }
    }

    /// <summary>The config value of an attribute, keeping its YAML type: unquoted <c>true</c>/<c>false</c> are bools,
    /// unquoted integers ints, unquoted numbers doubles, everything else strings; lists and maps become array and
    /// kvlist values. Returns null for YAML null.</summary>
    public static AnyValue? FromConfig(ConfigNode? node)
    {
        switch (node)
        {
            case null:
            case ConfigScalar { IsNull: true }:
                return null;
            case ConfigScalar { Quoted: true } quoted:
                return new AnyValue { StringValue = quoted.Value };
            case ConfigScalar scalar:
                return FromPlainScalar(scalar.Value!);
            case ConfigList list:
                var array = new ArrayValue();
                foreach (var item in list.Items)
                {
                    array.Values.Add(FromConfig(item) ?? new AnyValue());
                }

                return new AnyValue { ArrayValue = array };
            case ConfigMap map:
                var kvlist = new KeyValueList();
                foreach (var entry in map.Entries)
                {
                    kvlist.Values.Add(new KeyValue { Key = entry.Key, Value = FromConfig(entry.Value) ?? new AnyValue() });
                }

                return new AnyValue { KvlistValue = kvlist };
            default:
                return null;
        }
    }

    /// <summary>The value as a string, as pdata's <c>Value.AsString</c>: JSON for maps and lists, base64 for bytes,
    /// ES6-style numbers for doubles, empty for an empty value.</summary>
    public static string AsString(AnyValue? value)
    {
        if (value is null)
        {
            return string.Empty;
        }

        switch (value.ValueCase)
        {
            case AnyValue.ValueOneofCase.StringValue:
                return value.StringValue;
            case AnyValue.ValueOneofCase.BoolValue:
                return value.BoolValue ? "true" : "false";
            case AnyValue.ValueOneofCase.IntValue:
                return value.IntValue.ToString(CultureInfo.InvariantCulture);
            case AnyValue.ValueOneofCase.DoubleValue:
                return FormatDouble(value.DoubleValue);
            case AnyValue.ValueOneofCase.BytesValue:
                return Convert.ToBase64String(value.BytesValue.Span);
            case AnyValue.ValueOneofCase.ArrayValue:
            case AnyValue.ValueOneofCase.KvlistValue:
                var buffer = new ArrayBufferWriter<byte>();
                using (var writer = new Utf8JsonWriter(buffer, JsonOptions))
                {
                    WriteJson(writer, value);
                }

                return Encoding.UTF8.GetString(buffer.WrittenSpan);
            default:
                return string.Empty;
        }
    }

    /// <summary>Formats a double as Go's <c>float64AsString</c> (ES6 number-to-string): fixed notation for
    /// 1e-6 &lt;= |x| &lt; 1e21, else exponent notation without padding (<c>1e-7</c>, <c>1e+21</c>).</summary>
    public static string FormatDouble(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            string text = double.IsNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf";
            return "json: unsupported value: " + text;
        }

        double abs = Math.Abs(value);
        string r = value.ToString("R", CultureInfo.InvariantCulture);
        int e = r.IndexOf('E', StringComparison.Ordinal);
        if (abs != 0 && (abs < 1e-6 || abs >= 1e21))
        {
            if (e < 0)
            {
                r = value.ToString("E16", CultureInfo.InvariantCulture);
                r = double.Parse(r, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);
                e = r.IndexOf('E', StringComparison.Ordinal);
            }

            string mantissa = r[..e];
            int exponent = int.Parse(r[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            return mantissa + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString(CultureInfo.InvariantCulture);
        }

        if (e < 0)
        {
            return r;
        }

        // Shortest round-trip digits, written out in fixed notation.
        string digits = r[..e].Replace(".", string.Empty, StringComparison.Ordinal);
        bool negative = digits.StartsWith('-');
        if (negative)
        {
            digits = digits[1..];
        }

        int pointAt = (r[..e].TrimStart('-').IndexOf('.', StringComparison.Ordinal) is int p && p >= 0 ? p : r[..e].TrimStart('-').Length)
            + int.Parse(r[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        string fixedText = pointAt <= 0
            ? "0." + new string('0', -pointAt) + digits
            : pointAt >= digits.Length ? digits + new string('0', pointAt - digits.Length) : digits[..pointAt] + "." + digits[pointAt..];
        return negative ? "-" + fixedText : fixedText;
    }

    /// <summary>Replaces the value with the lower-case hex SHA-256 of its bytes, as otelcol's <c>sha2Hasher</c>:
    /// strings hash their UTF-8 bytes, bools one byte (1/0), ints and doubles their 8 little-endian bytes (doubles
    /// as IEEE-754 bits); any other value (bytes, list, map, empty) becomes the empty string.</summary>
    public static string Sha256Hex(AnyValue? value)
    {
        Span<byte> scalar = stackalloc byte[8];
        scoped ReadOnlySpan<byte> input;
        byte[]? rented = null;
        switch (value?.ValueCase)
        {
            case AnyValue.ValueOneofCase.StringValue:
                rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(value.StringValue.Length));
                input = rented.AsSpan(0, Encoding.UTF8.GetBytes(value.StringValue, rented));
                break;
            case AnyValue.ValueOneofCase.BoolValue:
                scalar[0] = value.BoolValue ? (byte)1 : (byte)0;
                input = scalar[..1];
                break;
            case AnyValue.ValueOneofCase.IntValue:
                BinaryPrimitives.WriteInt64LittleEndian(scalar, value.IntValue);
                input = scalar;
                break;
            case AnyValue.ValueOneofCase.DoubleValue:
                BinaryPrimitives.WriteInt64LittleEndian(scalar, BitConverter.DoubleToInt64Bits(value.DoubleValue));
                input = scalar;
                break;
            default:
                return string.Empty;
        }

        try
        {
            if (input.IsEmpty)
            {
                return string.Empty;
            }

            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(input, hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Deep equality of two values (pdata compares scalars by value and complex values by content).</summary>
    public static bool ValueEquals(AnyValue? a, AnyValue? b) => Equals(a ?? new AnyValue(), b ?? new AnyValue());

    /// <summary>The type name otelcol prints (<c>Str</c>, <c>Int</c>, <c>Double</c>, <c>Bool</c>, <c>Map</c>, <c>Slice</c>, <c>Bytes</c>, <c>Empty</c>).</summary>
    public static string TypeName(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => "Str",
        AnyValue.ValueOneofCase.IntValue => "Int",
        AnyValue.ValueOneofCase.DoubleValue => "Double",
        AnyValue.ValueOneofCase.BoolValue => "Bool",
        AnyValue.ValueOneofCase.KvlistValue => "Map",
        AnyValue.ValueOneofCase.ArrayValue => "Slice",
        AnyValue.ValueOneofCase.BytesValue => "Bytes",
        _ => "Empty",
    };

    private static AnyValue FromPlainScalar(string text)
    {
        if (string.Equals(text, "true", StringComparison.OrdinalIgnoreCase))
        {
            return new AnyValue { BoolValue = true };
        }

        if (string.Equals(text, "false", StringComparison.OrdinalIgnoreCase))
        {
            return new AnyValue { BoolValue = false };
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l))
        {
            return new AnyValue { IntValue = l };
        }

        if (text.Length > 0 && (char.IsAsciiDigit(text[0]) || text[0] is '-' or '+' or '.')
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
        {
            return new AnyValue { DoubleValue = d };
        }

        return new AnyValue { StringValue = text };
    }

    private static void WriteJson(Utf8JsonWriter writer, AnyValue? value)
    {
        switch (value?.ValueCase)
        {
            case AnyValue.ValueOneofCase.StringValue:
                writer.WriteStringValue(value.StringValue);
                break;
            case AnyValue.ValueOneofCase.BoolValue:
                writer.WriteBooleanValue(value.BoolValue);
                break;
            case AnyValue.ValueOneofCase.IntValue:
                writer.WriteNumberValue(value.IntValue);
                break;
            case AnyValue.ValueOneofCase.DoubleValue:
                if (double.IsFinite(value.DoubleValue))
                {
                    writer.WriteRawValue(FormatDouble(value.DoubleValue), skipInputValidation: true);
                }
                else
                {
                    writer.WriteNullValue();
                }

                break;
            case AnyValue.ValueOneofCase.BytesValue:
                writer.WriteBase64StringValue(value.BytesValue.Span);
                break;
            case AnyValue.ValueOneofCase.ArrayValue:
                writer.WriteStartArray();
                foreach (var item in value.ArrayValue.Values)
                {
                    WriteJson(writer, item);
                }

                writer.WriteEndArray();
                break;
            case AnyValue.ValueOneofCase.KvlistValue:
                // Go's encoding/json writes map keys sorted.
                var entries = new KeyValue[value.KvlistValue.Values.Count];
                value.KvlistValue.Values.CopyTo(entries, 0);
                Array.Sort(entries, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
                writer.WriteStartObject();
                foreach (var entry in entries)
                {
                    writer.WritePropertyName(entry.Key);
                    WriteJson(writer, entry.Value);
                }

                writer.WriteEndObject();
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }
}
