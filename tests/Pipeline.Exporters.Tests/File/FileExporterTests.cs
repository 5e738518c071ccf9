using System.Buffers.Binary;
using System.Text;
using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using Pipeline.Abstractions;
using Pipeline.Exporters.File;
using Pipeline.Telemetry;
using Pipeline.Telemetry.Otlp.Json;
using Pipeline.Testing;
using Xunit;
using ZstdSharp;

namespace Pipeline.Exporters.Tests.File;

public sealed class FileExporterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pipeline-file-exporter-").FullName;
    private readonly ManualTimeProvider _time = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Json_AllSignals_OneLinePerExportThatParsesBackToTheSameData()
    {
        string path = Path.Combine(_dir, "out.json");
        var config = Config(path);
        var traces = Create<Traces>(config);
        var metrics = Create<Metrics>(config);
        var logs = Create<Logs>(config);
        await StartAll(traces, metrics, logs);

        await traces.ConsumeAsync(Traces.FromRequest(FileTestData.Traces("first")), default);
        await metrics.ConsumeAsync(Metrics.FromEncoded(FileTestData.Metrics().ToByteArray()), default);
        await logs.ConsumeAsync(Logs.FromRequest(FileTestData.Logs()), default);
        await traces.ConsumeAsync(Traces.FromRequest(FileTestData.Traces("second")), default);
        await ShutdownAll(traces, metrics, logs);

        string[] lines = System.IO.File.ReadAllLines(path);
        Assert.Equal(4, lines.Length);
        Assert.Equal(FileTestData.Traces("first"), OtlpJson.ParseTraces(Encoding.UTF8.GetBytes(lines[0])));
        Assert.Equal(FileTestData.Metrics(), OtlpJson.ParseMetrics(Encoding.UTF8.GetBytes(lines[1])));
        Assert.Equal(FileTestData.Logs(), OtlpJson.ParseLogs(Encoding.UTF8.GetBytes(lines[2])));
        Assert.Equal(FileTestData.Traces("second"), OtlpJson.ParseTraces(Encoding.UTF8.GetBytes(lines[3])));
        Assert.Contains("\"traceId\":\"0102030405060708090a0b0c0d0e0f10\"", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"spanId\":\"1112131415161718\"", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"intValue\":\"-9007199254740993\"", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shutdown_BeforeAnyFlushTick_FlushesEverything()
    {
        string path = Path.Combine(_dir, "flush.json");
        var exporter = Create<Logs>(Config(path));
        await exporter.StartAsync(NopHost.Instance, default);

        await exporter.ConsumeAsync(Logs.FromRequest(FileTestData.Logs()), default);
        long sizeBeforeShutdown = ReadShared(path).Length;
        await exporter.ShutdownAsync(default);

        Assert.Equal(0, sizeBeforeShutdown);
        Assert.Single(System.IO.File.ReadAllLines(path));
    }

    [Fact]
    public async Task FlushTimer_Tick_WritesBufferedDataAtFlushInterval()
    {
        string path = Path.Combine(_dir, "tick.json");
        var config = Config(path);
        config.FlushInterval = TimeSpan.FromMilliseconds(300);
        var exporter = Create<Logs>(config);
        await exporter.StartAsync(NopHost.Instance, default);
        await exporter.ConsumeAsync(Logs.FromRequest(FileTestData.Logs()), default);

        _time.FireTimers();
        byte[] afterTick = ReadShared(path);
        await exporter.ShutdownAsync(default);

        Assert.Equal(TimeSpan.FromMilliseconds(300), _time.LastPeriod);
        Assert.Equal(FileTestData.Logs(), OtlpJson.ParseLogs(afterTick.AsSpan(0, afterTick.Length - 1)));
    }

    [Fact]
    public async Task Append_False_TruncatesExistingFile()
    {
        string path = Path.Combine(_dir, "truncate.json");
        await System.IO.File.WriteAllTextAsync(path, "old line\n");

        await WriteOnce(Config(path));

        Assert.DoesNotContain("old line", await System.IO.File.ReadAllTextAsync(path), StringComparison.Ordinal);
        Assert.Single(System.IO.File.ReadAllLines(path));
    }

    [Fact]
    public async Task Append_True_KeepsExistingContent()
    {
        string path = Path.Combine(_dir, "append.json");
        await System.IO.File.WriteAllTextAsync(path, "old line\n");
        var config = Config(path);
        config.Append = true;

        await WriteOnce(config);
        await WriteOnce(config);

        string[] lines = System.IO.File.ReadAllLines(path);
        Assert.Equal(3, lines.Length);
        Assert.Equal("old line", lines[0]);
    }

    [Fact]
    public async Task Proto_RecordsAreBigEndianLengthPrefixedProtobuf()
    {
        string path = Path.Combine(_dir, "out.proto");
        var config = Config(path);
        config.Format = "proto";
        var traces = Create<Traces>(config);
        var metrics = Create<Metrics>(config);
        await StartAll(traces, metrics);

        await traces.ConsumeAsync(Traces.FromRequest(FileTestData.Traces()), default);
        await metrics.ConsumeAsync(Metrics.FromRequest(FileTestData.Metrics()), default);
        await ShutdownAll(traces, metrics);

        var records = ReadRecords(await System.IO.File.ReadAllBytesAsync(path));
        Assert.Equal(2, records.Count);
        Assert.Equal(FileTestData.Traces(), ExportTraceServiceRequest.Parser.ParseFrom(records[0]));
        Assert.Equal(FileTestData.Metrics(), ExportMetricsServiceRequest.Parser.ParseFrom(records[1]));
    }

    [Theory]
    [InlineData("proto")]
    [InlineData("json")]
    public async Task Zstd_EachRecordIsAFramedZstdFrame(string format)
    {
        string path = Path.Combine(_dir, "out.zst");
        var config = Config(path);
        config.Format = format;
        config.Compression = "zstd";
        var logs = Create<Logs>(config);
        await logs.StartAsync(NopHost.Instance, default);

        await logs.ConsumeAsync(Logs.FromRequest(FileTestData.Logs("a")), default);
        await logs.ConsumeAsync(Logs.FromRequest(FileTestData.Logs("b")), default);
        await logs.ShutdownAsync(default);

        var records = ReadRecords(await System.IO.File.ReadAllBytesAsync(path));
        Assert.Equal(2, records.Count);
        using var zstd = new Decompressor();
        for (int i = 0; i < 2; i++)
        {
            byte[] plain = zstd.Unwrap(records[i]).ToArray();
            var parsed = format == "proto" ? ExportLogsServiceRequest.Parser.ParseFrom(plain) : OtlpJson.ParseLogs(plain);
            Assert.Equal(FileTestData.Logs(i == 0 ? "a" : "b"), parsed);
        }
    }

    [Fact]
    public async Task Rotation_FileBeyondMaxSize_IsRenamedWithTimestampAndANewFileStarted()
    {
        string path = Path.Combine(_dir, "rot.json");
        var config = Config(path);
        config.Rotation = new FileRotationConfig { MaxMegabytes = 1, MaxBackups = 1 };
        var exporter = Create<Logs>(config);
        await exporter.StartAsync(NopHost.Instance, default);
        string big = new('x', 700 * 1024);

        await exporter.ConsumeAsync(Logs.FromRequest(FileTestData.Logs(big + "1")), default);
        await exporter.ConsumeAsync(Logs.FromRequest(FileTestData.Logs(big + "2")), default);
        _time.Now = _time.Now.AddSeconds(1);
        await exporter.ConsumeAsync(Logs.FromRequest(FileTestData.Logs(big + "3")), default);
        await exporter.ShutdownAsync(default);

        // Two rotations happened; max_backups 1 keeps only the newest backup.
        string[] backups = Directory.GetFiles(_dir, "rot-*.json");
        Assert.Equal([Path.Combine(_dir, "rot-2026-11-26T01-02-04.456.json")], backups);
        Assert.Equal(FileTestData.Logs(big + "2"), OtlpJson.ParseLogs(Encoding.UTF8.GetBytes(System.IO.File.ReadAllLines(backups[0]).Single())));
        Assert.Equal(FileTestData.Logs(big + "3"), OtlpJson.ParseLogs(Encoding.UTF8.GetBytes(System.IO.File.ReadAllLines(path).Single())));
    }

    [Fact]
    public async Task CreateDirectory_MissingParent_IsCreated()
    {
        string path = Path.Combine(_dir, "a", "b", "out.json");
        var config = Config(path);
        config.CreateDirectory = true;

        await WriteOnce(config);

        Assert.Single(System.IO.File.ReadAllLines(path));
    }

    [Fact]
    public async Task Consume_ConcurrentlyFromManyThreads_KeepsEveryLineWhole()
    {
        string path = Path.Combine(_dir, "concurrent.json");
        var exporter = Create<Traces>(Config(path));
        await exporter.StartAsync(NopHost.Instance, default);

        var tasks = new List<Task>();
        for (int t = 0; t < 8; t++)
        {
            int thread = t;
            tasks.Add(Task.Run(async () =>
            {
                for (int i = 0; i < 50; i++)
                {
                    await exporter.ConsumeAsync(Traces.FromRequest(FileTestData.Traces($"t{thread}-{i}")), default);
                }
            }));
        }

        await Task.WhenAll(tasks);
        await exporter.ShutdownAsync(default);

        var names = new HashSet<string>();
        foreach (string line in System.IO.File.ReadAllLines(path))
        {
            names.Add(OtlpJson.ParseTraces(Encoding.UTF8.GetBytes(line)).ResourceSpans[0].ScopeSpans[0].Spans[0].Name);
        }

        Assert.Equal(400, names.Count);
    }

    [Fact]
    public async Task Consume_BeforeStart_Throws()
    {
        var exporter = Create<Traces>(Config(Path.Combine(_dir, "never.json")));

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await exporter.ConsumeAsync(Traces.FromRequest(FileTestData.Traces()), default));
    }

    [Fact]
    public async Task Shutdown_WithoutStart_DoesNothing()
    {
        var exporter = Create<Traces>(Config(Path.Combine(_dir, "never.json")));

        await exporter.ShutdownAsync(default);

        Assert.False(System.IO.File.Exists(Path.Combine(_dir, "never.json")));
    }

    private static FileExporterConfig Config(string path)
    {
        var config = (FileExporterConfig)new FileExporterFactory().CreateDefaultConfig();
        config.Path = path;
        return config;
    }

    private IExporter<T> Create<T>(FileExporterConfig config)
        where T : TelemetryData =>
        new FileExporterFactory().CreateExporter<T>(TestSettings.For(ComponentKind.Exporter, "file", time: _time), config);

    private async Task WriteOnce(FileExporterConfig config)
    {
        var exporter = Create<Logs>(config);
        await exporter.StartAsync(NopHost.Instance, default);
        await exporter.ConsumeAsync(Logs.FromRequest(FileTestData.Logs()), default);
        await exporter.ShutdownAsync(default);
    }

    private static async Task StartAll(params IComponent[] components)
    {
        foreach (var c in components)
        {
            await c.StartAsync(NopHost.Instance, default);
        }
    }

    private static async Task ShutdownAll(params IComponent[] components)
    {
        foreach (var c in components)
        {
            await c.ShutdownAsync(default);
        }
    }

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static List<byte[]> ReadRecords(byte[] file)
    {
        var records = new List<byte[]>();
        int pos = 0;
        while (pos < file.Length)
        {
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(pos, 4));
            records.Add(file.AsSpan(pos + 4, length).ToArray());
            pos += 4 + length;
        }

        return records;
    }
}
