using System.Diagnostics.Metrics;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Abstractions;
using Pipeline.Config;
using Pipeline.Host.Graph;
using Pipeline.Telemetry;

namespace Pipeline.Host.Tests.Graph;

/// <summary>Builds CollectorConfig objects by hand (no YAML) and graphs from them.</summary>
internal sealed class GraphFixture
{
    public CollectorConfig Config { get; } = new();

    public static ComponentId Id(string text)
    {
        Assert.True(ComponentId.TryParse(text, out var id, out var error), error);
        return id;
    }

    public static PipelineId Pipe(string text)
    {
        Assert.True(PipelineId.TryParse(text, out var id, out var error), error);
        return id;
    }

    public GraphFixture Component(ComponentKind kind, string id, IComponentFactory factory, FakeConfig? config = null)
    {
        var cid = Id(id);
        Config.Section(kind)[cid] = new ComponentEntry(cid, factory, config ?? (FakeConfig)factory.CreateDefaultConfig(), null);
        return this;
    }

    public GraphFixture Pipeline(string id, string[] receivers, string[] processors, string[] exporters)
    {
        var pipeline = new PipelineConfig();
        foreach (var r in receivers)
        {
            pipeline.Receivers.Add(Id(r));
        }

        foreach (var p in processors)
        {
            pipeline.Processors.Add(Id(p));
        }

        foreach (var e in exporters)
        {
            pipeline.Exporters.Add(Id(e));
        }

        Config.Service.Pipelines[Pipe(id)] = pipeline;
        return this;
    }

    public PipelineGraph Build() => GraphBuilder.Build(Config, new GraphSettings
    {
        LoggerFactory = NullLoggerFactory.Instance,
        Meter = new Meter("Pipeline.Host.Tests"),
    });

    public static Traces Spans(params string[] names)
    {
        var scope = new ScopeSpans();
        byte b = 1;
        foreach (var name in names)
        {
            scope.Spans.Add(new Span
            {
                Name = name,
                TraceId = ByteString.CopyFrom(new byte[16] { b, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 }),
                SpanId = ByteString.CopyFrom(new byte[8] { b, 2, 3, 4, 5, 6, 7, 8 }),
            });
            b++;
        }

        var resource = new ResourceSpans();
        resource.ScopeSpans.Add(scope);
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(resource);
        return Traces.FromRequest(request);
    }

    public static List<string> SpanNames(Traces traces)
    {
        var names = new List<string>();
        foreach (var rs in traces.Request.ResourceSpans)
        {
            foreach (var ss in rs.ScopeSpans)
            {
                foreach (var span in ss.Spans)
                {
                    names.Add(span.Name);
                }
            }
        }

        return names;
    }
}
