namespace Pipeline.Receivers.Ebpf.Tracking;

/// <summary>A run of bytes of one direction of a connection, in stream order: the captured prefix, then bytes the
/// kernel counted but did not copy (known length, unknown content).</summary>
/// <param name="Position">Stream offset of the first byte.</param>
/// <param name="Captured">The bytes copied.</param>
/// <param name="Uncaptured">Bytes after <paramref name="Captured"/> that were moved but not copied.</param>
/// <param name="EntryNs">Kernel monotonic time at the syscall entry.</param>
/// <param name="ExitNs">Kernel monotonic time at the syscall exit.</param>
/// <param name="Tid">The thread that made the syscall.</param>
internal readonly record struct StreamSegment(
    ulong Position,
    ReadOnlyMemory<byte> Captured,
    ulong Uncaptured,
    ulong EntryNs,
    ulong ExitNs,
    uint Tid)
{
    /// <summary>All bytes the segment spans.</summary>
    public ulong Length => (ulong)Captured.Length + Uncaptured;

    /// <summary>The segment without its first <paramref name="count"/> bytes.</summary>
    public StreamSegment Skip(ulong count)
    {
        if (count < (ulong)Captured.Length)
        {
            return this with { Position = Position + count, Captured = Captured[(int)count..] };
        }

        ulong fromUncaptured = count - (ulong)Captured.Length;
        return this with
        {
            Position = Position + count,
            Captured = ReadOnlyMemory<byte>.Empty,
            Uncaptured = fromUncaptured >= Uncaptured ? 0 : Uncaptured - fromUncaptured,
        };
    }
}
