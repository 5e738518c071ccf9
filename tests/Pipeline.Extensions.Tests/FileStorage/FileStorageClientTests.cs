using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Pipeline.Abstractions;
using Pipeline.Abstractions.Configuration;
using Pipeline.Extensions.FileStorage;
using Pipeline.Testing;
using Xunit;

namespace Pipeline.Extensions.Tests.FileStorage;

public sealed class FileStorageClientTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pqueue-" + Guid.NewGuid().ToString("N"));
    private readonly ErrorLog _log = new();

    public FileStorageClientTests() => Directory.CreateDirectory(_dir);

    private string StorePath => Path.Combine(_dir, "exporter_otlp__traces");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Append_ThenReopen_ReturnsUnackedRecordsInOrder()
    {
        using (var client = Open())
        {
            for (int i = 0; i < 5; i++)
            {
                client.Append(Payload(i));
            }

            client.Acknowledge(0);
            client.Acknowledge(3);
        }

        using var reopened = Open();
        var pending = reopened.TakePending();

        Assert.Equal([1, 2, 4], Texts(pending));
        Assert.Equal(3, reopened.PendingCount);
        Assert.Empty(reopened.TakePending());
        Assert.Empty(_log.Errors);
    }

    [Fact]
    public void Acknowledge_AllRecords_EmptiesTheLogAndNewRecordsFollow()
    {
        using (var client = Open())
        {
            long a = client.Append(Payload(1));
            long b = client.Append(Payload(2));
            client.Acknowledge(b);
            client.Acknowledge(a);

            Assert.Equal(0, new FileInfo(StorePath).Length);
            client.Append(Payload(3));
        }

        using var reopened = Open();

        Assert.Equal([3], Texts(reopened.TakePending()));
    }

    [Fact]
    public void Open_TruncatedTailRecord_ReportsItAndKeepsTheRest()
    {
        using (var client = Open())
        {
            client.Append(Payload(1));
            client.Append(Payload(2));
        }

        long full = new FileInfo(StorePath).Length;
        using (var f = new FileStream(StorePath, FileMode.Open))
        {
            f.SetLength(full - 3);
        }

        using var reopened = Open();
        var pending = reopened.TakePending();
        reopened.Append(Payload(3));

        Assert.Equal([1], Texts(pending));
        long secondOffset = full / 2;
        Assert.Equal([$"Storage record is truncated; dropping the rest of the file. (file: {StorePath}, offset: {secondOffset}, bytes: {full - 3 - secondOffset})"], _log.Errors);
        reopened.Dispose();
        using var third = Open();
        Assert.Equal([1, 3], Texts(third.TakePending()));
    }

    [Fact]
    public void Open_CorruptCrcInTheMiddle_ReportsItAndDeliversTheOthers()
    {
        long secondOffset;
        using (var client = Open())
        {
            client.Append(Payload(1));
            secondOffset = new FileInfo(StorePath).Length;
            client.Append(Payload(2));
            client.Append(Payload(3));
        }

        using (var f = new FileStream(StorePath, FileMode.Open))
        {
            f.Position = secondOffset + 16;
            f.WriteByte((byte)'X');
        }

        using (var reopened = Open())
        {
            Assert.Equal([1, 3], Texts(reopened.TakePending()));
        }

        using var third = Open();

        Assert.Equal([1, 3], Texts(third.TakePending()));
        Assert.Equal([$"Storage record failed its checksum; skipping it. (file: {StorePath}, offset: {secondOffset}, length: 8)"], _log.Errors);
    }

    [Fact]
    public void Open_CorruptAckFile_ReportsItAndRedeliversEverything()
    {
        using (var client = Open())
        {
            client.Append(Payload(1));
            client.Append(Payload(2));
            client.Acknowledge(0);
        }

        File.WriteAllText(StorePath + ".ack", "garbage");

        using var reopened = Open();

        Assert.Equal([1, 2], Texts(reopened.TakePending()));
        Assert.Equal([$"Storage acknowledgement file is corrupt; records may be delivered again. (file: {StorePath}.ack)"], _log.Errors);
    }

    [Fact]
    public void Open_CompactOnStart_RewritesOnlyPendingRecords()
    {
        using (var client = Open())
        {
            client.Append(Payload(1));
            client.Append(Payload(2));
            client.Acknowledge(0);
        }

        long before = new FileInfo(StorePath).Length;
        using (var compacted = FileStorageClient.Open(StorePath, fsync: true, TimeSpan.FromSeconds(1), compact: true, _log))
        {
            Assert.Equal([2], Texts(compacted.TakePending()));
            Assert.Equal(before / 2, new FileInfo(StorePath).Length);
            compacted.Append(Payload(3));
        }

        using var reopened = Open();

        Assert.Equal([2, 3], Texts(reopened.TakePending()));
    }

    [Fact]
    public void Open_StoreHeldByAnotherClient_FailsAfterTimeout()
    {
        using var first = Open();

        var error = Assert.Throws<IOException>(() => FileStorageClient.Open(StorePath, false, TimeSpan.FromMilliseconds(50), false, _log));

        Assert.StartsWith($"could not open storage file {StorePath} (held by another process?)", error.Message);
    }

    [Theory]
    [InlineData(ComponentKind.Exporter, "otlp", "", "traces", "exporter_otlp__traces")]
    [InlineData(ComponentKind.Receiver, "filelog", "logs~container", "", "receiver_filelog_logs~007Econtainer")]
    [InlineData(ComponentKind.Exporter, "otlp", "a b", "logs", "exporter_otlp_a~0020b_logs")]
    public void FileName_EscapesUnsafeCharacters(ComponentKind kind, string type, string componentName, string name, string expected)
    {
        var id = new ComponentId(type, componentName);

        string fileName = FileStorageExtension.FileName(kind, id, name);

        Assert.Equal(expected, fileName);
    }

    [Fact]
    public async Task Extension_GetClient_OpensStoreInDirectoryAndShutdownClosesIt()
    {
        var config = new FileStorageConfig { Directory = Path.Combine(_dir, "sub"), CreateDirectory = true };
        var extension = (IStorageExtension)new FileStorageFactory().CreateExtension(TestSettings.For(ComponentKind.Extension, "file_storage/x"), config);
        await extension.StartAsync(NopHost.Instance, default);
        var client = extension.GetClient(ComponentKind.Exporter, new ComponentId("otlp_grpc"), "traces");
        client.Append(Payload(7));

        await extension.ShutdownAsync(default);

        Assert.True(File.Exists(Path.Combine(_dir, "sub", "exporter_otlp_grpc__traces")));
        Assert.Throws<ObjectDisposedException>(() => client.Append(Payload(8)));
    }

    [Fact]
    public void Rejects_MissingDirectoryWithoutCreate()
    {
        var config = new FileStorageConfig { Directory = Path.Combine(_dir, "missing") };
        var list = new ConfigErrorList();

        config.Validate(new ValidationErrors(list, "extensions::file_storage"));

        Assert.Equal([$"extensions::file_storage::directory: directory must exist: {config.Directory}. You can enable the create_directory option to automatically create it."], Messages(list));
    }

    private static List<string> Messages(ConfigErrorList errors)
    {
        var list = new List<string>();
        foreach (var e in errors.Errors)
        {
            list.Add(e.ToString());
        }

        return list;
    }

    private FileStorageClient Open() => FileStorageClient.Open(StorePath, fsync: false, TimeSpan.FromSeconds(1), compact: false, _log);

    private static byte[] Payload(int i) => System.Text.Encoding.ASCII.GetBytes("record-" + i);

    private static List<int> Texts(IReadOnlyList<StoredRecord> records)
    {
        var list = new List<int>();
        foreach (var r in records)
        {
            list.Add(int.Parse(System.Text.Encoding.ASCII.GetString(r.Payload.Span)["record-".Length..], System.Globalization.CultureInfo.InvariantCulture));
        }

        return list;
    }

    /// <summary>Keeps ERROR lines.</summary>
    private sealed class ErrorLog : ILogger
    {
        private readonly ConcurrentQueue<string> _errors = new();

        public List<string> Errors => [.. _errors];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Error)
            {
                _errors.Enqueue(formatter(state, exception));
            }
        }
    }
}
