using System.Runtime.CompilerServices;
using System.Text;

namespace Pipeline.Receivers.Ebpf.Http;

/// <summary>A small direct-mapped cache of the strings made from short ASCII header values (hosts, paths), so a
/// keep-alive connection that sends the same values again does not allocate them per request. Bounded (a fixed number
/// of slots, a colliding value replaces the previous one) and holds only strings: a miss allocates nothing more than
/// the string it would have made anyway. Not thread-safe: one per thread.</summary>
internal sealed class AsciiStringCache
{
    private readonly string?[] _slots;
    private readonly int _maxLength;
    private readonly bool _ignoreCase;

    /// <param name="slots">Slots (a power of two).</param>
    /// <param name="maxLength">Longer values are never cached.</param>
    /// <param name="ignoreCase">True when the cached string is the lower-cased value (matched ignoring ASCII case).</param>
    public AsciiStringCache(int slots, int maxLength, bool ignoreCase)
    {
        _slots = new string?[slots];
        _maxLength = maxLength;
        _ignoreCase = ignoreCase;
    }

    /// <summary>The cached string for <paramref name="bytes"/>, else the one <paramref name="create"/> makes (cached when
    /// the bytes are ASCII and short).</summary>
    public string Get(ReadOnlySpan<byte> bytes, Func<ReadOnlySpan<byte>, string> create)
    {
        if (bytes.Length > _maxLength || !Ascii.IsValid(bytes))
        {
            return create(bytes);
        }

        int slot = Slot(bytes);
        string? cached = _slots[slot];
        if (cached is not null && cached.Length == bytes.Length &&
            (_ignoreCase ? Ascii.EqualsIgnoreCase(bytes, cached) : Ascii.Equals(bytes, cached)))
        {
            return cached;
        }

        string made = create(bytes);
        _slots[slot] = made;
        return made;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Slot(ReadOnlySpan<byte> bytes)
    {
        // FNV-1a over the bytes (ASCII letters folded when matching ignores case).
        uint fold = _ignoreCase ? 0x20u : 0u;
        uint h = 2166136261;
        foreach (byte b in bytes)
        {
            h = (h ^ (b | fold)) * 16777619;
        }

        return (int)(h & (uint)(_slots.Length - 1));
    }
}
