using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Pipeline.Telemetry.Otlp;

/// <summary>
/// Walks an encoded OTLP export request without decoding it: checks its protobuf framing and counts its items
/// (spans, data points, log records). This is what lets data pass through the pipeline as bytes.
/// </summary>
public static class OtlpWire
{
    private const int WireVarint = 0;
    private const int WireFixed64 = 1;
    private const int WireLen = 2;
    private const int WireStartGroup = 3;
    private const int WireEndGroup = 4;
    private const int WireFixed32 = 5;

    // Nesting limit: Google.Protobuf's default recursion limit.
    private const int MaxDepth = 100;

    /// <summary>Counts the items of an encoded export request.</summary>
    /// <exception cref="OtlpDecodeException">The framing is broken (truncated, bad wire type, overlong length).</exception>
    public static int CountItems(Signal signal, ReadOnlySpan<byte> body)
    {
        // Every level down to the item is "field N, length-delimited"; the item messages themselves are walked
        // for framing only. Paths (field numbers) from the OTLP schema:
        //   traces : request.1 ResourceSpans   .2 ScopeSpans   .2 Span
        //   logs   : request.1 ResourceLogs    .2 ScopeLogs    .2 LogRecord
        //   metrics: request.1 ResourceMetrics .2 ScopeMetrics .2 Metric .(5|7|9|10|11) data .1 data point
        int count = 0;
        var reader = new Reader(body);
        while (reader.TryReadTag(out int field, out int wire))
        {
            if (field == 1 && wire == WireLen)
            {
                var resource = new Reader(reader.ReadLengthDelimited());
                while (resource.TryReadTag(out int rf, out int rw))
                {
                    if (rf == 2 && rw == WireLen)
                    {
                        var scope = new Reader(resource.ReadLengthDelimited());
                        while (scope.TryReadTag(out int sf, out int sw))
                        {
                            if (sf == 2 && sw == WireLen)
                            {
                                var item = scope.ReadLengthDelimited();
                                count += signal == Signal.Metrics ? CountDataPoints(item) : CheckMessage(item, 1);
                            }
                            else
                            {
                                scope.Skip(sw, 1);
                            }
                        }
                    }
                    else
                    {
                        resource.Skip(rw, 1);
                    }
                }
            }
            else
            {
                reader.Skip(wire, 1);
            }
        }

        return count;
    }

    private static int CheckMessage(ReadOnlySpan<byte> message, int depth)
    {
        var reader = new Reader(message);
        while (reader.TryReadTag(out _, out int wire))
        {
            reader.Skip(wire, depth);
        }

        return 1;
    }

    private static int CountDataPoints(ReadOnlySpan<byte> metric)
    {
        int count = 0;
        var reader = new Reader(metric);
        while (reader.TryReadTag(out int field, out int wire))
        {
            if (wire == WireLen && field is 5 or 7 or 9 or 10 or 11)
            {
                var data = new Reader(reader.ReadLengthDelimited());
                while (data.TryReadTag(out int df, out int dw))
                {
                    if (df == 1 && dw == WireLen)
                    {
                        data.ReadLengthDelimited();
                        count++;
                    }
                    else
                    {
                        data.Skip(dw, 1);
                    }
                }
            }
            else
            {
                reader.Skip(wire, 1);
            }
        }

        return count;
    }

    private ref struct Reader
    {
        private readonly ReadOnlySpan<byte> _data;
        private int _pos;

        public Reader(ReadOnlySpan<byte> data)
        {
            _data = data;
            _pos = 0;
        }

        public bool TryReadTag(out int field, out int wire)
        {
            if (_pos >= _data.Length)
            {
                field = 0;
                wire = 0;
                return false;
            }

            ulong tag = ReadVarint();
            field = (int)(tag >> 3);
            wire = (int)(tag & 7);
            if (field == 0 || tag > uint.MaxValue)
            {
                ThrowInvalidTag(tag);
            }

            return true;
        }

        // Tags and most lengths in OTLP fit in one or two bytes (field numbers < 16, sub-messages < 16 KiB): read those
        // inline and leave longer varints, and every error, to the out-of-line loop (the profile's largest own cost).
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ulong ReadVarint()
        {
            var data = _data;
            int pos = _pos;
            if ((uint)pos < (uint)data.Length)
            {
                uint b0 = data[pos];
                if (b0 < 0x80)
                {
                    _pos = pos + 1;
                    return b0;
                }

                if ((uint)(pos + 1) < (uint)data.Length)
                {
                    uint b1 = data[pos + 1];
                    if (b1 < 0x80)
                    {
                        _pos = pos + 2;
                        return (b0 & 0x7F) | (b1 << 7);
                    }
                }
            }

            return ReadVarintSlow();
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private ulong ReadVarintSlow()
        {
            ulong result = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                if ((uint)_pos >= (uint)_data.Length)
                {
                    throw Malformed("truncated varint");
                }

                byte b = _data[_pos++];
                result |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return result;
                }
            }

            throw Malformed("varint longer than 10 bytes");
        }

        public ReadOnlySpan<byte> ReadLengthDelimited()
        {
            ulong length = ReadVarint();
            if (length > (ulong)(_data.Length - _pos))
            {
                ThrowPastEnd(length);
            }

            var slice = _data.Slice(_pos, (int)length);
            _pos += (int)length;
            return slice;
        }

        public void Skip(int wire, int depth)
        {
            switch (wire)
            {
                case WireVarint:
                    ReadVarint();
                    break;
                case WireFixed64:
                    Advance(8);
                    break;
                case WireLen:
                    ReadLengthDelimited();
                    break;
                case WireFixed32:
                    Advance(4);
                    break;
                case WireStartGroup:
                    if (depth > MaxDepth)
                    {
                        throw Malformed("groups nested too deeply");
                    }

                    while (true)
                    {
                        if (!TryReadTag(out _, out int inner))
                        {
                            throw Malformed("unterminated group");
                        }

                        if (inner == WireEndGroup)
                        {
                            break;
                        }

                        Skip(inner, depth + 1);
                    }

                    break;
                default:
                    throw Malformed($"invalid wire type {wire}");
            }
        }

        private void Advance(int n)
        {
            if (n > _data.Length - _pos)
            {
                throw Malformed("truncated fixed-width field");
            }

            _pos += n;
        }

        [DoesNotReturn]
        private static void ThrowInvalidTag(ulong tag) => throw Malformed($"invalid field tag {tag}");

        [DoesNotReturn]
        private static void ThrowPastEnd(ulong length) => throw Malformed($"length {length} runs past the end of the message");

        private static OtlpDecodeException Malformed(string what) => new($"proto: cannot parse invalid wire-format data: {what}");
    }
}
