using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Pipeline.Telemetry;
using Pipeline.Telemetry.Otlp.Json;
using ZstdSharp;

namespace Pipeline.Exporters.File;

/// <summary>
/// One open output file, shared by every signal's exporter that writes to the same path. Records are encoded into a
/// reusable buffer and appended under a lock; the stream is flushed to the OS every flush interval and on close.
/// </summary>
/// <remarks>
/// Record framing (otelcol's): JSON without compression is one object per line; protobuf, or anything compressed,
/// is a 4-byte big-endian length followed by that many bytes. With zstd each record is its own zstd frame.
/// </remarks>
internal sealed partial class FileWriter : IDisposable
{
    // Rotated names follow lumberjack, which otelcol uses: <name>-2006-01-02T15-04-05.000<ext>.
    private const string BackupTimeFormat = "yyyy-MM-dd'T'HH-mm-ss.fff";

    private readonly object _gate = new();
    private readonly FileExporterConfig _config;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly bool _lengthPrefixed;
    private FileStream? _stream;
    private Compressor? _zstd;
    private ITimer? _timer;
    private long _size;

    public FileWriter(string fullPath, FileExporterConfig config, TimeProvider time, ILogger logger)
    {
        FullPath = fullPath;
        _config = config;
        _time = time;
        _logger = logger;
        _lengthPrefixed = config.Format == "proto" || config.Compression.Length != 0;
    }

    /// <summary>The absolute path written to.</summary>
    public string FullPath { get; }

    /// <summary>Exporters sharing this writer; guarded by the registry's lock.</summary>
    internal int References { get; set; }

    /// <summary>Opens (truncating unless append) the file and starts the flush timer.</summary>
    public void Open()
    {
        string? directory = Path.GetDirectoryName(FullPath);
        if (_config.CreateDirectory && !string.IsNullOrEmpty(directory))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, _config.ParsePermissions() ?? (UnixFileMode)0b111_101_101);
            }
        }

        _stream = OpenStream(_config.Append ? FileMode.Append : FileMode.Create);
        if (_config.Compression == "zstd")
        {
            _zstd = new Compressor();
        }

        _timer = _time.CreateTimer(static state => ((FileWriter)state!).FlushFromTimer(), this, _config.FlushInterval, _config.FlushInterval);
    }

    /// <summary>Encodes and appends one batch as one record.</summary>
    public void Write(TelemetryData data)
    {
        lock (_gate)
        {
            if (_stream is null)
            {
                throw new InvalidOperationException($"The file exporter's file {FullPath} is not open.");
            }

            _buffer.ResetWrittenCount();
            if (_config.Format == "json")
            {
                OtlpJson.Write(data, _buffer);
            }
            else
            {
                data.WriteTo(_buffer);
            }

            ReadOnlySpan<byte> payload = _buffer.WrittenSpan;
            if (_zstd is not null)
            {
                payload = _zstd.Wrap(payload);
            }

            long recordLength = payload.Length + (_lengthPrefixed ? 4 : 1);
            if (_config.Rotation is { } rotation && _size > 0 && _size + recordLength > rotation.MaxBytes)
            {
                Rotate(rotation);
            }

            var stream = _stream!;
            if (_lengthPrefixed)
            {
                Span<byte> prefix = stackalloc byte[4];
                BinaryPrimitives.WriteUInt32BigEndian(prefix, (uint)payload.Length);
                stream.Write(prefix);
                stream.Write(payload);
            }
            else
            {
                stream.Write(payload);
                stream.WriteByte((byte)'\n');
            }

            _size += recordLength;
        }
    }

    /// <summary>Flushes buffered data to the file.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            _stream?.Flush();
        }
    }

    /// <summary>Stops the timer, flushes and closes the file.</summary>
    public void Dispose()
    {
        _timer?.Dispose();
        lock (_gate)
        {
            try
            {
                _stream?.Flush();
            }
            finally
            {
                _stream?.Dispose();
                _stream = null;
                _zstd?.Dispose();
                _zstd = null;
            }
        }
    }

    private FileStream OpenStream(FileMode mode)
    {
        var stream = new FileStream(FullPath, mode, FileAccess.Write, FileShare.Read, bufferSize: 64 * 1024);
        _size = stream.Length;
        return stream;
    }

    private void FlushFromTimer()
    {
        try
        {
            Flush();
        }
        catch (IOException ex)
        {
            Log.FlushFailed(_logger, FullPath, ex);
        }
        catch (ObjectDisposedException)
        {
            // Closed between the timer firing and the flush: nothing left to flush.
        }
    }

    /// <summary>Closes the file, renames it with a timestamp, opens a fresh one and prunes old backups.</summary>
    private void Rotate(FileRotationConfig rotation)
    {
        _stream!.Flush();
        _stream.Dispose();
        _stream = null;

        var now = _time.GetUtcNow();
        var stamp = rotation.LocalTime ? now.ToLocalTime() : now;
        string directory = Path.GetDirectoryName(FullPath) ?? ".";
        string prefix = Path.GetFileNameWithoutExtension(FullPath) + "-";
        string extension = Path.GetExtension(FullPath);
        string backup = Path.Combine(directory, prefix + stamp.ToString(BackupTimeFormat, CultureInfo.InvariantCulture) + extension);
        System.IO.File.Move(FullPath, backup, overwrite: true);
        _stream = OpenStream(FileMode.Create);
        Log.Rotated(_logger, FullPath, backup);

        try
        {
            Prune(rotation, directory, prefix, extension, now);
        }
        catch (IOException ex)
        {
            Log.PruneFailed(_logger, FullPath, ex);
        }
    }

    private static void Prune(FileRotationConfig rotation, string directory, string prefix, string extension, DateTimeOffset now)
    {
        if (rotation.MaxBackups == 0 && rotation.MaxDays == 0)
        {
            return;
        }

        var backups = new List<(string Path, DateTime Time)>();
        foreach (string file in Directory.EnumerateFiles(directory, prefix + "*" + extension))
        {
            string name = Path.GetFileName(file);
            string stamp = name.Substring(prefix.Length, name.Length - prefix.Length - extension.Length);
            if (DateTime.TryParseExact(stamp, BackupTimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            {
                backups.Add((file, time));
            }
        }

        // Newest first; the name sorts like the time.
        backups.Sort((a, b) => b.Time.CompareTo(a.Time));
        var cutoff = (rotation.LocalTime ? now.LocalDateTime : now.UtcDateTime) - TimeSpan.FromDays(rotation.MaxDays);
        for (int i = 0; i < backups.Count; i++)
        {
            bool tooMany = rotation.MaxBackups > 0 && i >= rotation.MaxBackups;
            bool tooOld = rotation.MaxDays > 0 && backups[i].Time < cutoff;
            if (tooMany || tooOld)
            {
                System.IO.File.Delete(backups[i].Path);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Failed to flush {Path}.")]
        public static partial void FlushFailed(ILogger logger, string path, Exception exception);

        [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Rotated {Path} to {Backup}.")]
        public static partial void Rotated(ILogger logger, string path, string backup);

        [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Failed to delete old rotated files of {Path}.")]
        public static partial void PruneFailed(ILogger logger, string path, Exception exception);
    }
}
