using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using Pipeline.Abstractions;

namespace Pipeline.Extensions.FileStorage;

/// <summary>
/// A durable FIFO of byte records in two files: <c>NAME</c>, an append-only log of records
/// <c>[u32 length][u32 crc32(seq‖payload)][u64 seq][payload]</c> (little-endian), and <c>NAME.ack</c>, the
/// acknowledgement state <c>["PQA1"][u64 floor][u32 n][n × u64 seq][u32 crc32]</c>, meaning every seq below floor
/// and the n listed seqs are acknowledged. The ack file is replaced atomically (write temp, rename). A corrupt or
/// truncated record is logged at ERROR with the file and offset and skipped; a truncated tail is cut off.
/// </summary>
internal sealed partial class FileStorageClient : IStorageClient
{
    internal const int HeaderSize = 16;
    private const int MaxRecordSize = 512 * 1024 * 1024;
    private static readonly byte[] AckMagic = "PQA1"u8.ToArray();

    private readonly object _gate = new();
    private readonly string _path;
    private readonly string _ackPath;
    private readonly bool _fsync;
    private readonly ILogger _logger;
    private readonly SortedSet<long> _pending = [];
    private FileStream? _log;
    private List<StoredRecord>? _recovered;
    private long _nextSeq;
    private long _floor;

    private FileStorageClient(string path, bool fsync, ILogger logger)
    {
        _path = path;
        _ackPath = path + ".ack";
        _fsync = fsync;
        _logger = logger;
    }

    /// <summary>The log file's path.</summary>
    public string FilePath => _path;

    public long PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Opens (or creates) the store, waiting up to <paramref name="lockTimeout"/> for another holder's lock.</summary>
    public static FileStorageClient Open(string path, bool fsync, TimeSpan lockTimeout, bool compact, ILogger logger)
    {
        var client = new FileStorageClient(path, fsync, logger);
        client._log = OpenLocked(path, lockTimeout);
        try
        {
            client.Recover(compact);
        }
        catch
        {
            client._log.Dispose();
            throw;
        }

        return client;
    }

    public long Append(ReadOnlySpan<byte> payload)
    {
        byte[] header = new byte[HeaderSize];
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_log is null, this);
            long seq = _nextSeq;
            BinaryPrimitives.WriteInt32LittleEndian(header, payload.Length);
            BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(8), seq);
            uint crc = Crc32.Append(Crc32.Compute(header.AsSpan(8, 8)), payload);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), crc);
            long start = _log.Length;
            _log.Position = start;
            try
            {
                _log.Write(header);
                _log.Write(payload);
                _log.Flush(_fsync);
            }
            catch
            {
                // Do not leave half a record for the next append to follow.
                _log.SetLength(start);
                throw;
            }

            _nextSeq = seq + 1;
            _pending.Add(seq);
            return seq;
        }
    }

    public IReadOnlyList<StoredRecord> TakePending()
    {
        lock (_gate)
        {
            var recovered = _recovered ?? [];
            _recovered = null;
            return recovered;
        }
    }

    public void Acknowledge(long sequence)
    {
        lock (_gate)
        {
            if (_log is null || !_pending.Remove(sequence))
            {
                return;
            }

            if (_pending.Count == 0)
            {
                // Everything delivered: record that first, then drop the log's contents.
                _floor = _nextSeq;
                WriteAckState();
                _log.SetLength(0);
                _log.Flush(_fsync);
                return;
            }

            _floor = _pending.Min;
            WriteAckState();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _log?.Dispose();
            _log = null;
            _recovered = null;
        }
    }

    private static FileStream OpenLocked(string path, TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            }
            catch (IOException) when (File.Exists(path) && Environment.TickCount64 < deadline)
            {
                Thread.Sleep(10);
            }
            catch (IOException e)
            {
                throw new IOException($"could not open storage file {path} (held by another process?): {e.Message}", e);
            }
        }
    }

    /// <summary>Reads the ack state and scans the log; the pending records are kept for <see cref="TakePending"/>.</summary>
    private void Recover(bool compact)
    {
        var acked = ReadAckState();
        var log = _log!;
        long length = log.Length;
        long offset = 0;
        long maxSeq = -1;
        bool damaged = false;
        var recovered = new List<StoredRecord>();
        byte[] header = new byte[HeaderSize];
        log.Position = 0;
        while (offset < length)
        {
            if (length - offset < HeaderSize)
            {
                Log.TruncatedRecord(_logger, _path, offset, length - offset);
                log.SetLength(offset);
                break;
            }

            log.ReadExactly(header);
            int size = BinaryPrimitives.ReadInt32LittleEndian(header);
            if (size < 0 || size > MaxRecordSize || size > length - offset - HeaderSize)
            {
                // The length cannot be trusted, so nothing after it can be framed: cut the log here.
                Log.TruncatedRecord(_logger, _path, offset, length - offset);
                log.SetLength(offset);
                break;
            }

            byte[] payload = new byte[size];
            log.ReadExactly(payload);
            uint expected = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
            uint actual = Crc32.Append(Crc32.Compute(header.AsSpan(8, 8)), payload);
            long seq = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(8));
            if (expected != actual)
            {
                Log.CorruptRecord(_logger, _path, offset, size);
                damaged = true;
            }
            else
            {
                maxSeq = Math.Max(maxSeq, seq);
                if (seq >= _floor && !acked.Contains(seq))
                {
                    recovered.Add(new StoredRecord(seq, payload));
                    _pending.Add(seq);
                }
            }

            offset += HeaderSize + size;
        }

        _nextSeq = Math.Max(maxSeq + 1, _floor);
        _recovered = recovered;
        if (_pending.Count > 0)
        {
            _floor = _pending.Min;
        }

        if (_pending.Count == 0 && log.Length > 0)
        {
            _floor = _nextSeq;
            WriteAckState();
            log.SetLength(0);
        }
        else if (compact || damaged)
        {
            Compact(recovered);
        }
        else
        {
            WriteAckState();
        }

        _log!.Position = _log.Length;
    }

    /// <summary>Rewrites the log with only the pending records: temp file, then rename over the log.</summary>
    private void Compact(List<StoredRecord> records)
    {
        string temp = _path + ".compact";
        using (var output = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            byte[] header = new byte[HeaderSize];
            foreach (var record in records)
            {
                BinaryPrimitives.WriteInt32LittleEndian(header, record.Payload.Length);
                BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(8), record.Sequence);
                uint crc = Crc32.Append(Crc32.Compute(header.AsSpan(8, 8)), record.Payload.Span);
                BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), crc);
                output.Write(header);
                output.Write(record.Payload.Span);
            }

            output.Flush(true);
        }

        WriteAckState();
        _log!.Dispose();
        File.Move(temp, _path, overwrite: true);
        _log = new FileStream(_path, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
    }

    private HashSet<long> ReadAckState()
    {
        var acked = new HashSet<long>();
        _floor = 0;
        byte[] data;
        try
        {
            data = File.ReadAllBytes(_ackPath);
        }
        catch (FileNotFoundException)
        {
            return acked;
        }

        var span = data.AsSpan();
        if (span.Length < 20 || !span[..4].SequenceEqual(AckMagic))
        {
            Log.CorruptAckFile(_logger, _ackPath);
            return acked;
        }

        uint count = BinaryPrimitives.ReadUInt32LittleEndian(span[12..]);
        long expectedLength = 16 + (8L * count) + 4;
        if (span.Length != expectedLength
            || BinaryPrimitives.ReadUInt32LittleEndian(span[^4..]) != Crc32.Compute(span[..^4]))
        {
            Log.CorruptAckFile(_logger, _ackPath);
            return acked;
        }

        _floor = BinaryPrimitives.ReadInt64LittleEndian(span[4..]);
        for (int i = 0; i < count; i++)
        {
            acked.Add(BinaryPrimitives.ReadInt64LittleEndian(span[(16 + (8 * i))..]));
        }

        return acked;
    }

    /// <summary>Writes floor + the acknowledged seqs between floor and the newest, atomically.</summary>
    private void WriteAckState()
    {
        var above = new List<long>();
        for (long seq = _floor; seq < _nextSeq; seq++)
        {
            if (!_pending.Contains(seq))
            {
                above.Add(seq);
            }
        }

        byte[] data = new byte[16 + (8 * above.Count) + 4];
        AckMagic.CopyTo(data, 0);
        BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(4), _floor);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(12), (uint)above.Count);
        for (int i = 0; i < above.Count; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(16 + (8 * i)), above[i]);
        }

        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(data.Length - 4), Crc32.Compute(data.AsSpan(0, data.Length - 4)));
        string temp = _ackPath + ".tmp";
        using (var output = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            output.Write(data);
            output.Flush(_fsync);
        }

        File.Move(temp, _ackPath, overwrite: true);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1501, Level = LogLevel.Error, Message = "Storage record is truncated; dropping the rest of the file. (file: {File}, offset: {Offset}, bytes: {Bytes})")]
        public static partial void TruncatedRecord(ILogger logger, string file, long offset, long bytes);

        [LoggerMessage(EventId = 1502, Level = LogLevel.Error, Message = "Storage record failed its checksum; skipping it. (file: {File}, offset: {Offset}, length: {Length})")]
        public static partial void CorruptRecord(ILogger logger, string file, long offset, int length);

        [LoggerMessage(EventId = 1503, Level = LogLevel.Error, Message = "Storage acknowledgement file is corrupt; records may be delivered again. (file: {File})")]
        public static partial void CorruptAckFile(ILogger logger, string file);
    }
}
