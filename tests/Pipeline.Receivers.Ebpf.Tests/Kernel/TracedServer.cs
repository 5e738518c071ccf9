using System.Buffers.Binary;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Abstractions;
using Pipeline.Exporters.File;
using Pipeline.Receivers.Ebpf.Discovery;
using Pipeline.Receivers.Ebpf.Routes;
using Pipeline.Receivers.Ebpf.Tests.Receiver;
using Pipeline.Telemetry;
using Pipeline.Testing;

namespace Pipeline.Receivers.Ebpf.Tests.Kernel;

/// <summary>A real server under the whole <c>ebpf</c> receiver, whose spans go through the real <c>file</c> exporter
/// (protobuf format) and are read back from the file. Discovery selects the server by its port; routes has the
/// pattern <c>/status/{code}</c>.</summary>
internal sealed class TracedServer : IAsyncDisposable
{
    private readonly string _output;
    private readonly IExporter<Traces> _exporter;
    private readonly EbpfReceiver _receiver;
    private bool _stopped;

    private TracedServer(ServerProcess server, string output, IExporter<Traces> exporter, EbpfReceiver receiver)
    {
        Server = server;
        _output = output;
        _exporter = exporter;
        _receiver = receiver;
    }

    public ServerProcess Server { get; }

    public int Port => Server.Port;

    public EbpfReceiver Receiver => _receiver;

    /// <summary>Starts <paramref name="kind"/> (see <see cref="TestServers"/>) and a receiver tracing it, plus any
    /// process matching <paramref name="alsoTrace"/>.</summary>
    public static async Task<TracedServer> StartAsync(string kind, ProcessSelector? alsoTrace = null)
    {
        BpfRequirement.Ensure();
        var server = TestServers.Start(kind);
        try
        {
            string output = Path.Combine(Directory.CreateTempSubdirectory("ebpf-spans").FullName, "spans.binpb");
            var exporter = new FileExporterFactory().CreateExporter<Traces>(
                TestSettings.For(ComponentKind.Exporter, "file"),
                new FileExporterConfig { Path = output, Format = "proto", FlushInterval = TimeSpan.FromMilliseconds(100) });
            await exporter.StartAsync(NopHost.Instance, CancellationToken.None);
            List<ProcessSelector> instrument = [new ProcessSelector { OpenPorts = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) }];
            if (alsoTrace is not null)
            {
                instrument.Add(alsoTrace);
            }

            var config = EbpfReceiverTests.Config(server.Port);
            config.Discovery = new DiscoveryConfig { Instrument = instrument, PollInterval = TimeSpan.FromMilliseconds(200) };
            config.Routes = new RoutesConfig { Patterns = ["/status/{code}"] };
            var receiver = new EbpfReceiver(TestSettings.For(ComponentKind.Receiver, "ebpf"), config) { Traces = exporter };
            await receiver.StartAsync(NopHost.Instance, CancellationToken.None);
            return new TracedServer(server, output, exporter, receiver);
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Polls the exported file until <paramref name="count"/> spans match (or 20 s pass), then stops the
    /// receiver and the exporter, so whatever else was pending is written too, and returns every matching span.</summary>
    public async Task<List<ExportedSpan>> WaitForSpansAsync(int count, Func<ExportedSpan, bool> match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (ReadSpans().Count(match) < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        await StopAsync();
        return ReadSpans().Where(match).ToList();
    }

    /// <summary>This server's SERVER spans.</summary>
    public Task<List<ExportedSpan>> WaitForServerSpansAsync(int count) =>
        WaitForSpansAsync(count, s => s.Pid == Server.Pid && s.Span.Kind == Span.Types.SpanKind.Server);

    /// <summary>Every span in the exported file so far (complete records only).</summary>
    public List<ExportedSpan> ReadSpans()
    {
        var spans = new List<ExportedSpan>();
        byte[] bytes;
        try
        {
            using var file = new FileStream(_output, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            bytes = new byte[file.Length];
            file.ReadExactly(bytes);
        }
        catch (FileNotFoundException)
        {
            return spans;
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

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _receiver.ShutdownAsync(CancellationToken.None);
        await _exporter.ShutdownAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Server.Dispose();
    }
}

/// <summary>A span read back from the file exporter's output, with its resource's <c>process.pid</c>.</summary>
internal sealed record ExportedSpan(Span Span, long Pid)
{
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

    /// <summary>End minus start, from the kernel timestamps.</summary>
    public TimeSpan Duration => TimeSpan.FromTicks((long)(Span.EndTimeUnixNano - Span.StartTimeUnixNano) / 100);

    public override string ToString() => Span.Name + " " + Attr("url.path") + " " + Attr("http.response.status_code") + " peer:" + Attr("network.peer.port") + " " + Duration.TotalMilliseconds + "ms";
}
