using System.Buffers.Binary;
using System.Diagnostics;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Abstractions;
using Pipeline.Exporters.File;
using Pipeline.Receivers.Ebpf.Discovery;
using Pipeline.Receivers.Ebpf.Routes;
using Pipeline.Receivers.Ebpf.Tracking;
using Pipeline.Receivers.Ebpf.Tests.Receiver;
using Pipeline.Telemetry;
using Pipeline.Testing;
using Xunit;

namespace Pipeline.Receivers.Ebpf.Tests.Kernel;

/// <summary>One whole <c>ebpf</c> receiver shared by a test class (loading the programs takes seconds on a busy
/// machine), whose spans go through the real <c>file</c> exporter (protobuf format) and are read back from the file.
/// Discovery selects every test server and the tests' curl by <see cref="TestServers.Marker"/> in their arguments;
/// routes has the pattern <c>/status/{code}</c>. Started on first use, so a machine without BPF skips the tests.</summary>
public sealed class TracingFixture : IAsyncLifetime
{
    private static readonly TimeSpan BatchTimeout = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(100);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _output;
    private IExporter<Traces>? _exporter;
    private EbpfReceiver? _receiver;

    internal EbpfReceiver Receiver => _receiver ?? throw new InvalidOperationException("Not started.");

    internal async Task StartAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_receiver is not null)
            {
                return;
            }

            _output = Path.Combine(Directory.CreateTempSubdirectory("ebpf-spans").FullName, "spans.binpb");
            _exporter = new FileExporterFactory().CreateExporter<Traces>(
                TestSettings.For(ComponentKind.Exporter, "file"),
                new FileExporterConfig { Path = _output, Format = "proto", FlushInterval = FlushInterval });
            await _exporter.StartAsync(NopHost.Instance, CancellationToken.None);
            var config = EbpfReceiverTests.Config(1);
            config.Discovery = new DiscoveryConfig
            {
                Instrument = [new ProcessSelector { CmdArgs = "*" + TestServers.Marker + "*" }],
                PollInterval = TimeSpan.FromMilliseconds(200),
            };
            config.Ebpf.BatchTimeout = BatchTimeout;
            config.Routes = new RoutesConfig { Patterns = ["/status/{code}"] };
            // Span times on the kernel's clock, so tests can place them against the client's Stopwatch instants.
            var settings = TestSettings.For(ComponentKind.Receiver, "ebpf", time: MonotonicAsUnixTime.Instance);
            var receiver = new EbpfReceiver(settings, config) { Traces = _exporter };
            await receiver.StartAsync(NopHost.Instance, CancellationToken.None);
            _receiver = receiver;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Waits (20 s at most) until discovery has put <paramref name="pid"/> in the kernel pid filter.</summary>
    internal async Task<bool> WaitTracedAsync(uint pid)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!Receiver.Tracer!.HasPid(pid) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        return Receiver.Tracer!.HasPid(pid);
    }

    /// <summary>Polls the exported file until <paramref name="count"/> spans match (or 20 s pass); then waits for two
    /// more span batches and file flushes, so a span too many would be there too, and returns every matching span.</summary>
    internal async Task<List<ExportedSpan>> WaitForSpansAsync(int count, Func<ExportedSpan, bool> match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (ReadSpans().Count(match) < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        await Task.Delay(2 * (BatchTimeout + FlushInterval));
        return ReadSpans().Where(match).ToList();
    }

    /// <summary>Every span in the exported file so far (complete records only).</summary>
    internal List<ExportedSpan> ReadSpans()
    {
        var spans = new List<ExportedSpan>();
        if (_output is null || !File.Exists(_output))
        {
            return spans;
        }

        byte[] bytes;
        using (var file = new FileStream(_output, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            bytes = new byte[file.Length];
            file.ReadExactly(bytes);
        }

        int offset = 0;
        while (offset + 4 <= bytes.Length)
        {
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(offset));
            if (offset + 4 + length > bytes.Length)
            {
                break;
            }

            var data = TracesData.Parser.ParseFrom(bytes, offset + 4, length);
            offset += 4 + length;
            foreach (var rs in data.ResourceSpans)
            {
                long pid = rs.Resource.Attributes.FirstOrDefault(a => a.Key == "process.pid")?.Value.IntValue ?? 0;
                foreach (var ss in rs.ScopeSpans)
                {
                    foreach (var span in ss.Spans)
                    {
                        spans.Add(new ExportedSpan(span, pid));
                    }
                }
            }
        }

        return spans;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_receiver is not null)
        {
            await _receiver.ShutdownAsync(CancellationToken.None);
        }

        if (_exporter is not null)
        {
            await _exporter.ShutdownAsync(CancellationToken.None);
        }

        _gate.Dispose();
    }
}

/// <summary>A clock whose "now" is CLOCK_MONOTONIC counted from the Unix epoch. The receiver converts kernel timestamps
/// to Unix time with the offset between its clock's now and CLOCK_MONOTONIC, which is then (about) zero: exported
/// span times are the kernel's own timestamps, directly comparable with <see cref="Stopwatch"/> readings.</summary>
internal sealed class MonotonicAsUnixTime : TimeProvider
{
    public static readonly MonotonicAsUnixTime Instance = new();

    public override DateTimeOffset GetUtcNow() =>
        DateTimeOffset.UnixEpoch.AddTicks(MonotonicClock.Nanoseconds(Stopwatch.GetTimestamp()) / 100);
}

/// <summary>A real server (see <see cref="TestServers"/>) under the shared receiver.</summary>
internal sealed class TracedServer : IDisposable
{
    private readonly TracingFixture _tracing;

    private TracedServer(TracingFixture tracing, ServerProcess server)
    {
        _tracing = tracing;
        Server = server;
    }

    public ServerProcess Server { get; }

    public int Port => Server.Port;

    /// <summary>Starts the receiver if needed, then <paramref name="kind"/>, and waits until it is traced.</summary>
    public static async Task<TracedServer> StartAsync(TracingFixture tracing, string kind)
    {
        BpfRequirement.Ensure();
        await tracing.StartAsync();
        var server = TestServers.Start(kind);
        if (!await tracing.WaitTracedAsync(server.Pid))
        {
            server.Dispose();
            Assert.Fail(kind + " (pid " + server.Pid + ") was not traced within 20 s.");
        }

        return new TracedServer(tracing, server);
    }

    /// <summary>This server's SERVER spans (see <see cref="TracingFixture.WaitForSpansAsync"/>).</summary>
    public Task<List<ExportedSpan>> WaitForServerSpansAsync(int count) =>
        _tracing.WaitForSpansAsync(count, s => s.Pid == Server.Pid && s.Span.Kind == Span.Types.SpanKind.Server);

    public void Dispose() => Server.Dispose();
}

/// <summary>A span read back from the file exporter's output, with its resource's <c>process.pid</c>.</summary>
internal sealed record ExportedSpan(Span Span, long Pid)
{
    public Status.Types.StatusCode StatusCode => Span.Status?.Code ?? Status.Types.StatusCode.Unset;

    /// <summary>End minus start, from the kernel timestamps.</summary>
    public TimeSpan Duration => TimeSpan.FromTicks((long)(Span.EndTimeUnixNano - Span.StartTimeUnixNano) / 100);

    public string? Attr(string key)
    {
        var kv = Span.Attributes.FirstOrDefault(a => a.Key == key);
        return kv?.Value.ValueCase switch
        {
            null => null,
            AnyValue.ValueOneofCase.IntValue => kv.Value.IntValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
            AnyValue.ValueOneofCase.BoolValue => kv.Value.BoolValue ? "true" : "false",
            _ => kv.Value.StringValue,
        };
    }

    public override string ToString() => Span.Name + " " + Attr("url.path") + " " + Attr("http.response.status_code") + " peer:" + Attr("network.peer.port") + " " + Duration.TotalMilliseconds + "ms";
}
