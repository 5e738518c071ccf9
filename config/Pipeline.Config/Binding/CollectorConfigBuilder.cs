using Microsoft.Extensions.Logging;
using Pipeline.Abstractions;
using Pipeline.Abstractions.Configuration;
using Pipeline.Telemetry;

namespace Pipeline.Config.Binding;

/// <summary>
/// Turns the resolved tree into a <see cref="CollectorConfig"/>: checks the top-level keys, binds every component
/// onto its factory's default config (used or not), reads <c>service</c>, then runs otelcol's whole-config checks.
/// Every problem goes to the shared <see cref="ConfigErrorList"/>; nothing stops at the first one.
/// </summary>
internal sealed class CollectorConfigBuilder
{
    private static readonly string[] TopLevelKeys = ["receivers", "processors", "exporters", "connectors", "extensions", "service"];
    private static readonly ComponentKind[] Kinds =
        [ComponentKind.Receiver, ComponentKind.Processor, ComponentKind.Exporter, ComponentKind.Connector, ComponentKind.Extension];

    private readonly FactoryRegistry _registry;
    private readonly ConfigErrorList _errors;
    private readonly ILogger _logger;
    private readonly CollectorConfig _config = new();

    // Every well-formed ID written per kind, including ones whose type is unknown or whose config is wrong, so one
    // mistake is not reported again as a dangling reference.
    private readonly Dictionary<ComponentKind, Dictionary<ComponentId, IComponentFactory?>> _declared = [];
    private readonly List<PipelineRefs> _pipelines = [];
    private readonly List<IdRef> _extensions = [];

    public CollectorConfigBuilder(FactoryRegistry registry, ConfigErrorList errors, ILogger logger)
    {
        _registry = registry;
        _errors = errors;
        _logger = logger;
        foreach (var kind in Kinds)
        {
            _declared[kind] = [];
        }
    }

    /// <summary>Builds the config; <paramref name="origin"/> locates whole-file errors (the first source).</summary>
    public CollectorConfig Build(ConfigNode? root, SourceLocation? origin)
    {
        var rootMap = root as ConfigMap ?? new ConfigMap();
        CheckTopLevelKeys(rootMap);
        foreach (var kind in Kinds)
        {
            BindComponents(kind, rootMap.TryGet(kind.SectionName(), out var node) ? node : null);
        }

        ReadService(rootMap.TryGet("service", out var service) ? service : null);
        Validate(rootMap, origin);
        return _config;
    }

    private void CheckTopLevelKeys(ConfigMap root)
    {
        List<string>? invalid = null;
        SourceLocation? first = null;
        foreach (var entry in root.Entries)
        {
            _errors.RecordLocation(entry.Key, root.KeyLocation(entry.Key));
            if (Array.IndexOf(TopLevelKeys, entry.Key) < 0)
            {
                (invalid ??= []).Add(entry.Key);
                first ??= root.KeyLocation(entry.Key);
            }
        }

        if (invalid is not null)
        {
            _errors.Add(string.Empty, $"has invalid keys: {string.Join(", ", invalid)}.", first);
        }
    }

    private void BindComponents(ComponentKind kind, ConfigNode? node)
    {
        string section = kind.SectionName();
        var map = AsMap(node, section);
        if (map is null)
        {
            return;
        }

        var declared = _declared[kind];
        var target = _config.Section(kind);
        foreach (var entry in map.Entries)
        {
            var keyLocation = map.KeyLocation(entry.Key);
            if (!ComponentId.TryParse(entry.Key, out var id, out string? idError))
            {
                _errors.Add(section, idError + ".", keyLocation);
                continue;
            }

            string path = section + "::" + id;
            _errors.RecordLocation(path, keyLocation);
            if (declared.ContainsKey(id))
            {
                _errors.Add(path, $"duplicate name: \"{entry.Key}\" is the same ID as another {kind.SingularName()} once spaces are trimmed.", keyLocation);
                continue;
            }

            var factory = _registry.Find(kind, id.Type);
            declared[id] = factory;
            if (factory is null)
            {
                _errors.Add(path, UnknownTypeMessage(kind, id), keyLocation);
                continue;
            }

            if (id.Type != factory.Type)
            {
                ConfigLoader.Log.DeprecatedAlias(_logger, id.Type, factory.Type);
            }

            var config = factory.CreateDefaultConfig();
            var componentSection = new ConfigSection(entry.Value, path, _errors);
            config.Bind(componentSection);
            componentSection.Finish();

            // Cross-field rules are only meaningful on a config that expanded and bound cleanly.
            if (!HasErrorsUnder(path))
            {
                config.Validate(new ValidationErrors(_errors, path));
            }

            target[id] = new ComponentEntry(id, factory, config, keyLocation);
        }
    }

    private bool HasErrorsUnder(string path)
    {
        foreach (var error in _errors.Errors)
        {
            if (error.Path == path || error.Path.StartsWith(path + "::", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private string UnknownTypeMessage(ComponentKind kind, ComponentId id)
    {
        if (kind == ComponentKind.Exporter && id.Type == "logging")
        {
            return "the logging exporter has been deprecated, use the debug exporter instead.";
        }

        return $"unknown type: \"{id.Type}\" for id: \"{id}\" (valid values: [{string.Join(" ", _registry.TypesOf(kind))}]).";
    }

    private ConfigMap? AsMap(ConfigNode? node, string path)
    {
        switch (node)
        {
            case null:
            case ConfigScalar { IsNull: true }:
                return null;
            case ConfigMap map:
                return map;
            default:
                _errors.Add(path, $"expected a map, got a {node.KindName}.", node.Location);
                return null;
        }
    }

    private void ReadService(ConfigNode? node)
    {
        var service = new ConfigSection(node, "service", _errors);
        TelemetryBinder.Bind(service.GetSection("telemetry"), _config.Service.Telemetry);
        _extensions.AddRange(ReadIds(service.GetNode("extensions"), "service::extensions"));
        foreach (var extension in _extensions)
        {
            _config.Service.Extensions.Add(extension.Id);
        }

        var pipelines = AsMap(service.GetNode("pipelines"), "service::pipelines");
        if (pipelines is not null)
        {
            ReadPipelines(pipelines);
        }

        service.Finish();
    }

    private void ReadPipelines(ConfigMap pipelines)
    {
        foreach (var entry in pipelines.Entries)
        {
            var keyLocation = pipelines.KeyLocation(entry.Key);
            if (!PipelineId.TryParse(entry.Key, out var id, out string? idError))
            {
                _errors.Add("service::pipelines::" + entry.Key, idError + ".", keyLocation);
                continue;
            }

            string path = "service::pipelines::" + id;
            _errors.RecordLocation(path, keyLocation);
            if (_config.Service.Pipelines.ContainsKey(id))
            {
                _errors.Add(path, $"duplicate name: \"{entry.Key}\" is the same pipeline ID as another once spaces are trimmed.", keyLocation);
                continue;
            }

            var body = new ConfigSection(entry.Value, path, _errors);
            var refs = new PipelineRefs(
                id,
                path,
                keyLocation,
                ReadIds(body.GetNode("receivers"), path + "::receivers"),
                ReadIds(body.GetNode("processors"), path + "::processors"),
                ReadIds(body.GetNode("exporters"), path + "::exporters"));
            body.Finish();

            var pipeline = new PipelineConfig();
            AddIds(pipeline.Receivers, refs.Receivers);
            AddIds(pipeline.Processors, refs.Processors);
            AddIds(pipeline.Exporters, refs.Exporters);
            _config.Service.Pipelines[id] = pipeline;
            _pipelines.Add(refs);
        }
    }

    private static void AddIds(List<ComponentId> target, List<IdRef> refs)
    {
        foreach (var r in refs)
        {
            target.Add(r.Id);
        }
    }

    /// <summary>A list of component IDs; a single string is split on commas (otelcol's string → []string hook).</summary>
    private List<IdRef> ReadIds(ConfigNode? node, string path)
    {
        var ids = new List<IdRef>();
        switch (node)
        {
            case null:
            case ConfigScalar { IsNull: true }:
                break;
            case ConfigScalar scalar:
                foreach (string part in scalar.Value!.Split(',', StringSplitOptions.TrimEntries))
                {
                    AddId(ids, part, path, scalar.Location);
                }

                break;
            case ConfigList list:
                for (int i = 0; i < list.Items.Count; i++)
                {
                    if (list.Items[i] is ConfigScalar { IsNull: false } item)
                    {
                        AddId(ids, item.Value!, path, item.Location);
                    }
                    else
                    {
                        _errors.Add(path + "::" + i, $"expected a component ID, got a {list.Items[i].KindName}.", list.Items[i].Location);
                    }
                }

                break;
            default:
                _errors.Add(path, $"expected a list of component IDs, got a {node.KindName}.", node.Location);
                break;
        }

        return ids;
    }

    private void AddId(List<IdRef> ids, string text, string path, SourceLocation? location)
    {
        if (ComponentId.TryParse(text, out var id, out string? error))
        {
            ids.Add(new IdRef(id, location));
        }
        else
        {
            _errors.Add(path, error + ".", location);
        }
    }

    private void Validate(ConfigMap root, SourceLocation? origin)
    {
        bool empty = true;
        foreach (var kind in Kinds)
        {
            empty &= _declared[kind].Count == 0;
        }

        if (empty)
        {
            _errors.Add(string.Empty, "empty configuration file.", origin);
            return;
        }

        if (_declared[ComponentKind.Receiver].Count == 0)
        {
            _errors.Add(string.Empty, "no receiver configuration specified in config.", root.KeyLocation("receivers"));
        }

        if (_declared[ComponentKind.Exporter].Count == 0)
        {
            _errors.Add(string.Empty, "no exporter configuration specified in config.", root.KeyLocation("exporters"));
        }

        CheckAmbiguousConnectors();
        foreach (var extension in _extensions)
        {
            if (!_declared[ComponentKind.Extension].ContainsKey(extension.Id))
            {
                _errors.Add("service::extensions", $"references extension \"{extension.Id}\" which is not configured.", extension.Location);
            }
        }

        if (_pipelines.Count == 0)
        {
            _errors.Add("service::pipelines", "service must have at least one pipeline.");
        }

        foreach (var pipeline in _pipelines)
        {
            ValidatePipeline(pipeline);
        }

        CheckConnectorUse();
    }

    private void CheckAmbiguousConnectors()
    {
        foreach (var id in _declared[ComponentKind.Connector].Keys)
        {
            foreach (var other in (ReadOnlySpan<ComponentKind>)[ComponentKind.Exporter, ComponentKind.Receiver])
            {
                if (_declared[other].ContainsKey(id))
                {
                    string renamed = id + "/connector";
                    _errors.Add(
                        "connectors::" + id,
                        $"ambiguous ID: Found both \"{id}\" {other.SingularName()} and \"{id}\" connector. Change one of the components' IDs to eliminate ambiguity (e.g. rename \"{id}\" connector to \"{renamed}\").");
                    break;
                }
            }
        }
    }

    private void ValidatePipeline(PipelineRefs pipeline)
    {
        if (pipeline.Receivers.Count == 0)
        {
            _errors.Add(pipeline.Path, "must have at least one receiver.", pipeline.Location);
        }

        if (pipeline.Exporters.Count == 0)
        {
            _errors.Add(pipeline.Path, "must have at least one exporter.", pipeline.Location);
        }

        var seen = new HashSet<ComponentId>();
        foreach (var processor in pipeline.Processors)
        {
            if (!seen.Add(processor.Id))
            {
                _errors.Add(pipeline.Path, $"references processor \"{processor.Id}\" multiple times.", processor.Location);
            }
        }

        CheckReferences(pipeline, pipeline.Receivers, ComponentKind.Receiver);
        CheckReferences(pipeline, pipeline.Processors, ComponentKind.Processor);
        CheckReferences(pipeline, pipeline.Exporters, ComponentKind.Exporter);
    }

    private void CheckReferences(PipelineRefs pipeline, List<IdRef> refs, ComponentKind kind)
    {
        bool connectorAllowed = kind != ComponentKind.Processor;
        foreach (var r in refs)
        {
            if (_declared[kind].TryGetValue(r.Id, out var factory))
            {
                if (factory is not null && !Supports(factory, pipeline.Id.Signal))
                {
                    _errors.Add(
                        pipeline.Path,
                        $"failed to create \"{r.Id}\" {kind.SingularName()} for data type \"{pipeline.Id.Signal.ToName()}\": telemetry type is not supported.",
                        r.Location);
                }

                continue;
            }

            if (connectorAllowed && _declared[ComponentKind.Connector].ContainsKey(r.Id))
            {
                continue;
            }

            _errors.Add(pipeline.Path, $"references {kind.SingularName()} \"{r.Id}\" which is not configured.", r.Location);
        }
    }

    private static bool Supports(IComponentFactory factory, Signal signal) =>
        factory.Stability.TryGetValue(signal, out var level) && level != StabilityLevel.Undefined;

    /// <summary>otelcol's graph checks: a connector must join an exporter pipeline to a receiver pipeline of a
    /// signal pair it supports, seen from both ends.</summary>
    private void CheckConnectorUse()
    {
        foreach (var (id, factory) in _declared[ComponentKind.Connector])
        {
            if (factory is not IConnectorFactory connector || _declared[ComponentKind.Receiver].ContainsKey(id) || _declared[ComponentKind.Exporter].ContainsKey(id))
            {
                continue;
            }

            foreach (var from in _pipelines)
            {
                var use = Find(from.Exporters, id);
                if (use is not null && !AnyPeer(connector, id, from.Id.Signal, asExporter: true))
                {
                    _errors.Add(from.Path, $"connector \"{id}\" used as exporter in [{from.Id}] pipeline but not used in any supported receiver pipeline.", use.Location);
                }
            }

            foreach (var to in _pipelines)
            {
                var use = Find(to.Receivers, id);
                if (use is not null && !AnyPeer(connector, id, to.Id.Signal, asExporter: false))
                {
                    _errors.Add(to.Path, $"connector \"{id}\" used as receiver in [{to.Id}] pipeline but not used in any supported exporter pipeline.", use.Location);
                }
            }
        }
    }

    private bool AnyPeer(IConnectorFactory connector, ComponentId id, Signal signal, bool asExporter)
    {
        foreach (var peer in _pipelines)
        {
            if (Find(asExporter ? peer.Receivers : peer.Exporters, id) is null)
            {
                continue;
            }

            var pair = asExporter ? (signal, peer.Id.Signal) : (peer.Id.Signal, signal);
            if (connector.ConnectorStability.TryGetValue(pair, out var level) && level != StabilityLevel.Undefined)
            {
                return true;
            }
        }

        return false;
    }

    private static IdRef? Find(List<IdRef> refs, ComponentId id)
    {
        foreach (var r in refs)
        {
            if (r.Id == id)
            {
                return r;
            }
        }

        return null;
    }

    private sealed record IdRef(ComponentId Id, SourceLocation? Location);

    private sealed record PipelineRefs(
        PipelineId Id,
        string Path,
        SourceLocation? Location,
        List<IdRef> Receivers,
        List<IdRef> Processors,
        List<IdRef> Exporters);
}
