using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Pipeline.Receivers.Ebpf.Spans;

/// <summary>A minimal protobuf wire writer into one growable pooled buffer: enough to write OTLP spans straight to
/// bytes instead of building Google.Protobuf objects (about thirty objects per span) that are encoded again later.
/// Nested messages get a one-byte length placeholder; <see cref="End"/> moves the body when the length needs more.
/// Values are written as Google.Protobuf writes them: fields in the order the caller gives (callers follow field
/// numbers), proto3 defaults left out by the callers, minimal varints.</summary>
internal sealed class ProtoWriter : IDisposable
{
    private const int VarintWire = 0;
    private const int Fixed64Wire = 1;
    private const int LengthWire = 2;

    private byte[] _buffer;
    private int _length;

    public ProtoWriter(int capacity = 16 * 1024) => _buffer = ArrayPool<byte>.Shared.Rent(capacity);

    /// <summary>Bytes written so far.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    /// <summary>Starts over, keeping the buffer.</summary>
    public void Reset() => _length = 0;

    public void Varint(int field, ulong value)
    {
        Tag(field, VarintWire);
        RawVarint(value);
    }

    public void Fixed64(int field, ulong value)
    {
        Tag(field, Fixed64Wire);
        Ensure(8);
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_length), value);
        _length += 8;
    }

    public void Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, LengthWire);
        RawVarint((uint)value.Length);
        Ensure(value.Length);
        value.CopyTo(_buffer.AsSpan(_length));
        _length += value.Length;
    }

    public void String(int field, string value)
    {
        Tag(field, LengthWire);
        int n = Encoding.UTF8.GetByteCount(value);
        RawVarint((uint)n);
        Ensure(n);
        _length += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length));
    }

    /// <summary>A string made of <paramref name="first"/>, one ASCII <paramref name="separator"/> and
    /// <paramref name="second"/>, without concatenating them first.</summary>
    public void String(int field, string first, char separator, string second)
    {
        int ascii = first.Length + 1 + second.Length;
        if (ascii < 128 && separator < 128)
        {
            // Short and (nearly always) ASCII: one narrowing pass each, the length known up front.
            int start = _length;
            Tag(field, LengthWire);
            Ensure(1 + ascii);
            _buffer[_length++] = (byte)ascii;
            var to = _buffer.AsSpan(_length, ascii);
            if (Ascii.FromUtf16(first, to, out _) == OperationStatus.Done &&
                Ascii.FromUtf16(second, to[(first.Length + 1)..], out _) == OperationStatus.Done)
            {
                to[first.Length] = (byte)separator;
                _length += ascii;
                return;
            }

            _length = start;
        }

        Tag(field, LengthWire);
        int n = Encoding.UTF8.GetByteCount(first) + 1 + Encoding.UTF8.GetByteCount(second);
        RawVarint((uint)n);
        Ensure(n);
        _length += Encoding.UTF8.GetBytes(first, _buffer.AsSpan(_length));
        _buffer[_length++] = (byte)separator;
        _length += Encoding.UTF8.GetBytes(second, _buffer.AsSpan(_length));
    }

    /// <summary>A <c>KeyValue</c> message with a string <c>AnyValue</c> in field <paramref name="field"/>: the bytes
    /// <c>Begin(field)</c>, <c>Bytes(1, key)</c>, <c>Begin(2)</c>, <c>String(1, value)</c> and two <c>End</c>s write,
    /// with the lengths computed first instead of patched afterwards.</summary>
    public void StringAttribute(int field, ReadOnlySpan<byte> key, string value)
    {
        if (value.Length < 128 && TryAsciiAttribute(field, key, value))
        {
            return;
        }

        int n = Encoding.UTF8.GetByteCount(value);
        int any = 1 + VarintSize((uint)n) + n;
        AttributeHead(field, key, any);
        _buffer[_length++] = (1 << 3) | LengthWire;
        UncheckedVarint((uint)n);
        _length += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length));
    }

    /// <summary>The common case of <see cref="StringAttribute"/>: a short ASCII value, whose UTF-8 length is its length,
    /// narrowed in one pass; false (nothing written) when the value is not ASCII.</summary>
    private bool TryAsciiAttribute(int field, ReadOnlySpan<byte> key, string value)
    {
        int n = value.Length;
        int any = 2 + n; // tag, one-byte length (n < 128), bytes
        int start = _length;
        AttributeHead(field, key, any);
        _buffer[_length++] = (1 << 3) | LengthWire;
        _buffer[_length++] = (byte)n;
        if (Ascii.FromUtf16(value, _buffer.AsSpan(_length, n), out _) != OperationStatus.Done)
        {
            _length = start;
            return false;
        }

        _length += n;
        return true;
    }

    /// <summary>A <c>KeyValue</c> message with a bool <c>AnyValue</c> (bool_value = 2) in field <paramref name="field"/>,
    /// as <see cref="StringAttribute"/> writes a string one.</summary>
    public void BoolAttribute(int field, ReadOnlySpan<byte> key, bool value)
    {
        AttributeHead(field, key, 2);
        _buffer[_length++] = (2 << 3) | VarintWire;
        _buffer[_length++] = value ? (byte)1 : (byte)0;
    }

    /// <summary>A <c>KeyValue</c> message with an int <c>AnyValue</c> (int_value = 3) in field <paramref name="field"/>,
    /// as <see cref="StringAttribute"/> writes a string one.</summary>
    public void IntAttribute(int field, ReadOnlySpan<byte> key, long value)
    {
        int any = 1 + VarintSize64((ulong)value);
        AttributeHead(field, key, any);
        _buffer[_length++] = (3 << 3) | VarintWire;
        UncheckedVarint((ulong)value);
    }

    /// <summary>Starts an embedded message; pass the result to <see cref="End"/>.</summary>
    public int Begin(int field)
    {
        Tag(field, LengthWire);
        Ensure(1);
        _length++;
        return _length;
    }

    /// <summary>Ends the embedded message started at <paramref name="mark"/>: writes its length in front of it.</summary>
    public void End(int mark)
    {
        int body = _length - mark;
        int size = VarintSize((uint)body);
        if (size > 1)
        {
            Ensure(size - 1);
            _buffer.AsSpan(mark, body).CopyTo(_buffer.AsSpan(mark + size - 1));
            _length += size - 1;
        }

        int at = mark - 1;
        uint v = (uint)body;
        while (v >= 0x80)
        {
            _buffer[at++] = (byte)(v | 0x80);
            v >>= 7;
        }

        _buffer[at] = (byte)v;
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _length = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Tag(int field, int wireType) => RawVarint((uint)((field << 3) | wireType));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void RawVarint(ulong value)
    {
        Ensure(10);
        while (value >= 0x80)
        {
            _buffer[_length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _buffer[_length++] = (byte)value;
    }

    /// <summary>A <c>KeyValue</c> in field <paramref name="field"/> up to its value's bytes: the KeyValue's tag and
    /// length, KeyValue.key (1), and the tag and length of KeyValue.value (2), an <c>AnyValue</c> of
    /// <paramref name="valueLength"/> bytes that the caller writes next (room for it is ensured here).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AttributeHead(int field, ReadOnlySpan<byte> key, int valueLength)
    {
        int kv = 1 + VarintSize((uint)key.Length) + key.Length + 1 + VarintSize((uint)valueLength) + valueLength;
        Tag(field, LengthWire);
        Ensure(5 + kv);
        UncheckedVarint((uint)kv);
        _buffer[_length++] = (1 << 3) | LengthWire;
        UncheckedVarint((uint)key.Length);
        key.CopyTo(_buffer.AsSpan(_length));
        _length += key.Length;
        _buffer[_length++] = (2 << 3) | LengthWire;
        UncheckedVarint((uint)valueLength);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void UncheckedVarint(ulong value)
    {
        var buffer = _buffer;
        int at = _length;
        if (value < 0x80)
        {
            buffer[at] = (byte)value;
            _length = at + 1;
            return;
        }

        while (value >= 0x80)
        {
            buffer[at++] = (byte)(value | 0x80);
            value >>= 7;
        }

        buffer[at++] = (byte)value;
        _length = at;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int VarintSize64(ulong value) => value < 1UL << 28 ? VarintSize((uint)value) : (70 - System.Numerics.BitOperations.LeadingZeroCount(value | 1)) / 7;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int VarintSize(uint value) => value < 1 << 7 ? 1 : value < 1 << 14 ? 2 : value < 1 << 21 ? 3 : value < 1 << 28 ? 4 : 5;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Ensure(int more)
    {
        if (_length + more > _buffer.Length)
        {
            Grow(more);
        }
    }

    private void Grow(int more)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + more));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
