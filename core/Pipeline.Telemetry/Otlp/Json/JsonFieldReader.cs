using System.Buffers.Text;
using System.Text.Json;
using Google.Protobuf;

namespace Pipeline.Telemetry.Otlp.Json;

/// <summary>
/// Reads OTLP/JSON field values from a <see cref="Utf8JsonReader"/> positioned on the value token, with the
/// leniency the OTLP specification asks of receivers: 64-bit integers as strings or numbers, enums as integers or
/// names, doubles as numbers or "NaN"/"Infinity"/"-Infinity", ids as hex in either case.
/// </summary>
/// <remarks>
/// Every failure names the message and field (as <c>Span.traceId</c>) and the byte offset of the offending token.
/// </remarks>
internal static class JsonFieldReader
{
    /// <summary>Deep enough for kvlist/array values nested about 25 levels under a span attribute.</summary>
    public const int MaxDepth = 128;

    private const int TraceIdLength = 16;
    private const int SpanIdLength = 8;

    /// <summary>Reads the next token; the reader throws on malformed or truncated input, so false never returns.</summary>
    public static void Next(ref Utf8JsonReader r)
    {
        if (!r.Read())
        {
            throw new OtlpDecodeException($"Invalid OTLP/JSON at byte {r.BytesConsumed}: unexpected end of data.");
        }
    }

    /// <summary>Checks that the current token starts an object.</summary>
    public static void ExpectObject(ref Utf8JsonReader r, string owner, string field)
    {
        if (r.TokenType != JsonTokenType.StartObject)
        {
            throw Error(ref r, owner, field, $"must be an object, got {Describe(r.TokenType)}");
        }
    }

    /// <summary>
    /// Advances inside an object to the next property name; returns false at the end of the object. After a true
    /// return the reader is on the property name: match it, then call <see cref="Value"/>.
    /// </summary>
    public static bool NextProperty(ref Utf8JsonReader r)
    {
        Next(ref r);
        return r.TokenType == JsonTokenType.PropertyName;
    }

    /// <summary>Moves from a property name to its value; returns false when the value is null (absent).</summary>
    public static bool Value(ref Utf8JsonReader r)
    {
        Next(ref r);
        return r.TokenType != JsonTokenType.Null;
    }

    /// <summary>Skips the current value (an unknown field), whole objects and arrays included.</summary>
    public static void Skip(ref Utf8JsonReader r) => r.Skip();

    /// <summary>True when the current property name is <paramref name="camel"/> or <paramref name="snake"/>.</summary>
    public static bool Is(ref Utf8JsonReader r, ReadOnlySpan<byte> camel, ReadOnlySpan<byte> snake) =>
        r.ValueTextEquals(camel) || r.ValueTextEquals(snake);

    /// <summary>True when the current property name is <paramref name="name"/> (same in both spellings).</summary>
    public static bool Is(ref Utf8JsonReader r, ReadOnlySpan<byte> name) => r.ValueTextEquals(name);

    /// <summary>Checks that the current token starts an array.</summary>
    public static void ExpectArray(ref Utf8JsonReader r, string owner, string field)
    {
        if (r.TokenType != JsonTokenType.StartArray)
        {
            throw Error(ref r, owner, field, $"must be an array, got {Describe(r.TokenType)}");
        }
    }

    /// <summary>
    /// Advances to the next array element; returns false at the end of the array. Null elements are rejected
    /// (as protojson does): a list cannot hold an absent value.
    /// </summary>
    public static bool NextElement(ref Utf8JsonReader r, string owner, string field)
    {
        Next(ref r);
        if (r.TokenType == JsonTokenType.EndArray)
        {
            return false;
        }

        if (r.TokenType == JsonTokenType.Null)
        {
            throw Error(ref r, owner, field, "must not contain null elements");
        }

        return true;
    }

    /// <summary>Advances to the next array element, which must be an object; false at the end of the array.</summary>
    public static bool NextObject(ref Utf8JsonReader r, string owner, string field)
    {
        if (!NextElement(ref r, owner, field))
        {
            return false;
        }

        if (r.TokenType != JsonTokenType.StartObject)
        {
            throw Error(ref r, owner, field, $"must be an array of objects, got an element that is {Describe(r.TokenType)}");
        }

        return true;
    }

    /// <summary>Reads a string.</summary>
    public static string ReadString(ref Utf8JsonReader r, string owner, string field)
    {
        if (r.TokenType != JsonTokenType.String)
        {
            throw Error(ref r, owner, field, $"must be a string, got {Describe(r.TokenType)}");
        }

        return r.GetString()!;
    }

    /// <summary>Reads a boolean (JSON true/false only).</summary>
    public static bool ReadBool(ref Utf8JsonReader r, string owner, string field) => r.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw Error(ref r, owner, field, $"must be true or false, got {Describe(r.TokenType)}"),
    };

    /// <summary>Reads an unsigned 64-bit integer (fixed64/uint64) written as a number or a decimal string.</summary>
    public static ulong ReadUInt64(ref Utf8JsonReader r, string owner, string field)
    {
        if (r.TokenType == JsonTokenType.Number)
        {
            if (r.TryGetUInt64(out ulong v))
            {
                return v;
            }

            // Integral numbers written with an exponent or fraction (1e3, 5.0) are accepted as protojson does.
            if (r.TryGetDouble(out double d) && d >= 0 && d <= ulong.MaxValue && Math.Floor(d) == d)
            {
                return (ulong)d;
            }
        }
        else if (r.TokenType == JsonTokenType.String && !r.ValueIsEscaped)
        {
            var s = r.ValueSpan;
            if (Utf8Parser.TryParse(s, out ulong v, out int consumed) && consumed == s.Length && s.Length > 0)
            {
                return v;
            }
        }

        throw Error(ref r, owner, field, $"must be an unsigned 64-bit integer (a number or a decimal string), got {Show(ref r)}");
    }

    /// <summary>Reads a signed 64-bit integer (int64/sfixed64) written as a number or a decimal string.</summary>
    public static long ReadInt64(ref Utf8JsonReader r, string owner, string field)
    {
        if (r.TokenType == JsonTokenType.Number)
        {
            if (r.TryGetInt64(out long v))
            {
                return v;
            }

            if (r.TryGetDouble(out double d) && d >= long.MinValue && d < 9.2233720368547758e18 && Math.Floor(d) == d)
            {
                return (long)d;
            }
        }
        else if (r.TokenType == JsonTokenType.String && !r.ValueIsEscaped)
        {
            var s = r.ValueSpan;
            if (Utf8Parser.TryParse(s, out long v, out int consumed) && consumed == s.Length && s.Length > 0)
            {
                return v;
            }
        }

        throw Error(ref r, owner, field, $"must be a signed 64-bit integer (a number or a decimal string), got {Show(ref r)}");
    }

    /// <summary>Reads an unsigned 32-bit integer (uint32/fixed32) written as a number or a decimal string.</summary>
    public static uint ReadUInt32(ref Utf8JsonReader r, string owner, string field)
    {
        if (r.TokenType == JsonTokenType.Number)
        {
            if (r.TryGetUInt32(out uint v))
            {
                return v;
            }

            if (r.TryGetDouble(out double d) && d >= 0 && d <= uint.MaxValue && Math.Floor(d) == d)
            {
                return (uint)d;
            }
        }
        else if (r.TokenType == JsonTokenType.String && !r.ValueIsEscaped)
        {
            var s = r.ValueSpan;
            if (Utf8Parser.TryParse(s, out uint v, out int consumed) && consumed == s.Length && s.Length > 0)
            {
                return v;
            }
        }

        throw Error(ref r, owner, field, $"must be an unsigned 32-bit integer, got {Show(ref r)}");
    }

    /// <summary>Reads a signed 32-bit integer (int32/sint32) written as a number or a decimal string.</summary>
    public static int ReadInt32(ref Utf8JsonReader r, string owner, string field)
    {
        if (r.TokenType == JsonTokenType.Number)
        {
            if (r.TryGetInt32(out int v))
            {
                return v;
            }

            if (r.TryGetDouble(out double d) && d >= int.MinValue && d <= int.MaxValue && Math.Floor(d) == d)
            {
                return (int)d;
            }
        }
        else if (r.TokenType == JsonTokenType.String && !r.ValueIsEscaped)
        {
            var s = r.ValueSpan;
            if (Utf8Parser.TryParse(s, out int v, out int consumed) && consumed == s.Length && s.Length > 0)
            {
                return v;
            }
        }

        throw Error(ref r, owner, field, $"must be a signed 32-bit integer, got {Show(ref r)}");
    }

    /// <summary>Reads a double: a number, a numeric string, or "NaN", "Infinity", "-Infinity".</summary>
    public static double ReadDouble(ref Utf8JsonReader r, string owner, string field)
    {
        if (r.TokenType == JsonTokenType.Number)
        {
            if (r.TryGetDouble(out double v))
            {
                return v;
            }
        }
        else if (r.TokenType == JsonTokenType.String)
        {
            if (r.ValueTextEquals("NaN"u8))
            {
                return double.NaN;
            }

            if (r.ValueTextEquals("Infinity"u8))
            {
                return double.PositiveInfinity;
            }

            if (r.ValueTextEquals("-Infinity"u8))
            {
                return double.NegativeInfinity;
            }

            if (!r.ValueIsEscaped)
            {
                var s = r.ValueSpan;
                if (Utf8Parser.TryParse(s, out double v, out int consumed) && consumed == s.Length && s.Length > 0)
                {
                    return v;
                }
            }
        }

        throw Error(ref r, owner, field, $"must be a number or one of \"NaN\", \"Infinity\", \"-Infinity\", got {Show(ref r)}");
    }

    /// <summary>
    /// Reads an enum written as its integer value or its name. Unknown integers are kept (proto3 enums are open);
    /// unknown names are an error. <paramref name="names"/>[i] is the name of value i.
    /// </summary>
    public static int ReadEnum(ref Utf8JsonReader r, string owner, string field, string[] names)
    {
        if (r.TokenType == JsonTokenType.Number && r.TryGetInt32(out int v))
        {
            return v;
        }

        if (r.TokenType == JsonTokenType.String)
        {
            for (int i = 0; i < names.Length; i++)
            {
                if (r.ValueTextEquals(names[i]))
                {
                    return i;
                }
            }
        }

        throw Error(ref r, owner, field, $"must be an enum integer or one of its names ({names[0]}..{names[^1]}), got {Show(ref r)}");
    }

    /// <summary>Reads a trace id: 32 hex digits, or an empty string for "no id".</summary>
    public static ByteString ReadTraceId(ref Utf8JsonReader r, string owner, string field) =>
        ReadHexId(ref r, owner, field, TraceIdLength, "trace id");

    /// <summary>Reads a span id: 16 hex digits, or an empty string for "no id".</summary>
    public static ByteString ReadSpanId(ref Utf8JsonReader r, string owner, string field) =>
        ReadHexId(ref r, owner, field, SpanIdLength, "span id");

    /// <summary>Reads a base64 (standard or URL-safe, padding optional) bytes value.</summary>
    public static ByteString ReadBase64(ref Utf8JsonReader r, string owner, string field)
    {
        if (r.TokenType != JsonTokenType.String)
        {
            throw Error(ref r, owner, field, $"must be a base64 string, got {Describe(r.TokenType)}");
        }

        if (r.TryGetBytesFromBase64(out byte[]? bytes))
        {
            return UnsafeByteOperations.UnsafeWrap(bytes);
        }

        // protojson also accepts the URL-safe alphabet and missing padding.
        string s = r.GetString()!.Replace('-', '+').Replace('_', '/');
        s = (s.Length % 4) switch
        {
            2 => s + "==",
            3 => s + "=",
            _ => s,
        };

        try
        {
            return UnsafeByteOperations.UnsafeWrap(Convert.FromBase64String(s));
        }
        catch (FormatException)
        {
            throw Error(ref r, owner, field, "must be base64-encoded bytes");
        }
    }

    /// <summary>Creates the error for a field value, naming message, field and byte offset.</summary>
    public static OtlpDecodeException Error(ref Utf8JsonReader r, string owner, string field, string problem) =>
        new($"Invalid OTLP/JSON at byte {r.TokenStartIndex}: {owner}.{field} {problem}.");

    private static ByteString ReadHexId(ref Utf8JsonReader r, string owner, string field, int length, string what)
    {
        if (r.TokenType != JsonTokenType.String)
        {
            throw Error(ref r, owner, field, $"must be a hex string, got {Describe(r.TokenType)}");
        }

        ReadOnlySpan<byte> hex = r.ValueSpan;
        if (r.ValueIsEscaped)
        {
            // Escaped hex digits are legal JSON, just unusual: unescape, then map to ASCII (anything else is invalid).
            string s = r.GetString()!;
            Span<byte> ascii = s.Length <= 64 ? stackalloc byte[64] : new byte[s.Length];
            for (int i = 0; i < s.Length; i++)
            {
                ascii[i] = s[i] < 128 ? (byte)s[i] : (byte)'?';
            }

            return DecodeHex(ref r, owner, field, length, what, ascii[..s.Length], s.Length);
        }

        return DecodeHex(ref r, owner, field, length, what, hex, hex.Length);
    }

    private static ByteString DecodeHex(ref Utf8JsonReader r, string owner, string field, int length, string what, scoped ReadOnlySpan<byte> hex, int hexLength)
    {
        if (hexLength == 0)
        {
            return ByteString.Empty;
        }

        if (hexLength != length * 2)
        {
            throw Error(ref r, owner, field, $"must be {length * 2} hex digits for a {what}, got {hexLength} characters");
        }

        var bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            int hi = HexValue(hex[2 * i]);
            int lo = HexValue(hex[(2 * i) + 1]);
            if ((hi | lo) < 0)
            {
                throw Error(ref r, owner, field, $"must be hex digits (0-9, a-f) for a {what}");
            }

            bytes[i] = (byte)((hi << 4) | lo);
        }

        return UnsafeByteOperations.UnsafeWrap(bytes);
    }

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };

    private static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => type.ToString(),
    };

    private static string Show(ref Utf8JsonReader r)
    {
        if (r.TokenType == JsonTokenType.String)
        {
            string s = r.GetString()!;
            return s.Length > 40 ? $"\"{s[..40]}...\"" : $"\"{s}\"";
        }

        if (r.TokenType == JsonTokenType.Number)
        {
            return System.Text.Encoding.UTF8.GetString(r.ValueSpan);
        }

        return Describe(r.TokenType);
    }
}
