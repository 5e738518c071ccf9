using BenchmarkDotNet.Attributes;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using Pipeline.Processors.Common;

namespace Pipeline.Benchmarks.Processors;

/// <summary>
/// The attributes processor's actions over every span of a 100-span request (10 attributes each). Actions change the
/// attributes, so every invocation runs on a fresh deep copy; the baseline is that copy plus the walk over the spans
/// with no action, and an action's own cost is the difference.
/// </summary>
[MemoryDiagnoser]
public class AttributeActionsBenchmarks
{
    private ExportTraceServiceRequest _request = new();
    private AttributeActions _actions = null!;

    /// <summary>The action applied (a typical one-action config of each kind; "mix" is insert + update + delete + hash).</summary>
    [Params("insert", "upsert", "delete", "hash", "extract", "convert", "mix")]
    public string Action { get; set; } = "insert";

    /// <summary>Builds the request and compiles the actions once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _request = Payloads.Traces(100);
        var configs = Action switch
        {
            "insert" => [Set("insert", "deployment.environment", "prod")],
            "upsert" => [Set("upsert", "http.route", "/api/orders/:id")],
            "delete" => [new AttributeActionConfig { Action = "delete", Key = "client.address" }],
            "hash" => [new AttributeActionConfig { Action = "hash", Key = "client.address" }],
            "extract" => [new AttributeActionConfig { Action = "extract", Key = "url.path", Pattern = @"^/api/(?P<api_resource>[a-z]+)/(?P<api_id>\d+)$" }],
            "convert" => [new AttributeActionConfig { Action = "convert", Key = "server.port", ConvertedType = "string" }],
            _ => new List<AttributeActionConfig>
            {
                Set("insert", "deployment.environment", "prod"),
                Set("update", "server.address", "orders"),
                new() { Action = "delete", Key = "user_agent.original" },
                new() { Action = "hash", Key = "client.address" },
            },
        };
        var errors = new List<string>();
        _actions = AttributeActions.Create(configs, errors) ?? throw new InvalidOperationException(string.Join("; ", errors));
    }

    /// <summary>Copy and walk the spans without acting.</summary>
    [Benchmark(Baseline = true)]
    public int CopyAndWalk()
    {
        int n = 0;
        foreach (var rs in _request.Clone().ResourceSpans)
        {
            foreach (var ss in rs.ScopeSpans)
            {
                foreach (var span in ss.Spans)
                {
                    n += span.Attributes.Count;
                }
            }
        }

        return n;
    }

    /// <summary>Copy, then apply the actions to every span's attributes.</summary>
    [Benchmark]
    public int CopyAndApply()
    {
        int n = 0;
        foreach (var rs in _request.Clone().ResourceSpans)
        {
            foreach (var ss in rs.ScopeSpans)
            {
                foreach (var span in ss.Spans)
                {
                    _actions.Apply(span.Attributes);
                    n += span.Attributes.Count;
                }
            }
        }

        return n;
    }

    private static AttributeActionConfig Set(string action, string key, string value) =>
        new() { Action = action, Key = key, Value = new AnyValue { StringValue = value } };
}
