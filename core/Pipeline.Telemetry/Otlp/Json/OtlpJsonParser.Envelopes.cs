using System.Text.Json;
using Google.Protobuf.Collections;
using static Pipeline.Telemetry.Otlp.Json.JsonFieldReader;

namespace Pipeline.Telemetry.Otlp.Json;

/// <summary>
/// The shapes the three signals share: a resource envelope (<c>resource</c>, one repeated scope list, <c>schemaUrl</c>),
/// a scope envelope (<c>scope</c>, one repeated item list, <c>schemaUrl</c>) and an export response (an optional
/// <c>partialSuccess</c> with one rejected count and <c>errorMessage</c>). Each signal names its own fields and
/// message types; the walking is the same.
/// </summary>
internal static partial class OtlpJsonParser
{
    /// <summary>The fields of an envelope message other than its repeated child list.</summary>
    /// <typeparam name="THeader">The header message: <c>Resource</c> or <c>InstrumentationScope</c>.</typeparam>
    private ref struct EnvelopeHeader<THeader>
        where THeader : class
    {
        public THeader? Header;
        public string SchemaUrl;
    }

    /// <summary>What a <c>partialSuccess</c> object held; <see cref="Present"/> is false when it was absent or null.</summary>
    private ref struct PartialSuccessFields
    {
        public bool Present;
        public long Rejected;
        public string ErrorMessage;
    }

    /// <summary>
    /// Reads an envelope object (the reader is inside it): the repeated <paramref name="childField"/> into
    /// <paramref name="children"/>, the <paramref name="headerField"/> message and <c>schemaUrl</c>; unknown fields skipped.
    /// </summary>
    private static EnvelopeHeader<THeader> ReadEnvelope<TChild, THeader>(
        ref Utf8JsonReader r,
        string owner,
        ReadOnlySpan<byte> childCamel,
        ReadOnlySpan<byte> childSnake,
        string childField,
        RepeatedField<TChild> children,
        ObjectParser<TChild> parseChild,
        ReadOnlySpan<byte> headerField,
        string headerName,
        ObjectParser<THeader> parseHeader)
        where THeader : class
    {
        var fields = new EnvelopeHeader<THeader> { SchemaUrl = string.Empty };
        while (NextProperty(ref r))
        {
            if (Is(ref r, childCamel, childSnake))
            {
                ReadObjects(ref r, owner, childField, children, parseChild);
            }
            else if (Is(ref r, headerField))
            {
                if (BeginObject(ref r, owner, headerName))
                {
                    fields.Header = parseHeader(ref r);
                }
            }
            else if (Is(ref r, "schemaUrl"u8, "schema_url"u8))
            {
                if (Value(ref r))
                {
                    fields.SchemaUrl = ReadString(ref r, owner, "schemaUrl");
                }
            }
            else
            {
                SkipValue(ref r);
            }
        }

        return fields;
    }

    /// <summary>
    /// Reads an export response object (the reader is inside it): its <c>partialSuccess</c> with the rejected count
    /// named <paramref name="rejectedField"/> (<c>rejectedSpans</c>, <c>rejectedDataPoints</c>, <c>rejectedLogRecords</c>).
    /// </summary>
    private static PartialSuccessFields ReadExportResponse(
        ref Utf8JsonReader r,
        string owner,
        string partialOwner,
        ReadOnlySpan<byte> rejectedCamel,
        ReadOnlySpan<byte> rejectedSnake,
        string rejectedField)
    {
        var fields = new PartialSuccessFields { ErrorMessage = string.Empty };
        while (NextProperty(ref r))
        {
            if (Is(ref r, "partialSuccess"u8, "partial_success"u8))
            {
                if (BeginObject(ref r, owner, "partialSuccess"))
                {
                    fields.Present = true;
                    while (NextProperty(ref r))
                    {
                        if (Is(ref r, rejectedCamel, rejectedSnake))
                        {
                            if (Value(ref r))
                            {
                                fields.Rejected = ReadInt64(ref r, partialOwner, rejectedField);
                            }
                        }
                        else if (Is(ref r, "errorMessage"u8, "error_message"u8))
                        {
                            if (Value(ref r))
                            {
                                fields.ErrorMessage = ReadString(ref r, partialOwner, "errorMessage");
                            }
                        }
                        else
                        {
                            SkipValue(ref r);
                        }
                    }
                }
            }
            else
            {
                SkipValue(ref r);
            }
        }

        return fields;
    }
}
