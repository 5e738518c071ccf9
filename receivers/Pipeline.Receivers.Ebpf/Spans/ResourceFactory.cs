using System.Globalization;
using System.Reflection;
using Google.Protobuf;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;
using Pipeline.Receivers.Ebpf.Tracking;

namespace Pipeline.Receivers.Ebpf.Spans;

/// <summary>Builds (and caches) the resource of each traced process, and the instrumentation scope.</summary>
internal sealed class ResourceFactory
{
    /// <summary><c>telemetry.sdk.name</c> and the scope name prefix.</summary>
    public const string SdkName = "pipeline-ebpf";

    /// <summary>The instrumentation scope of every span and metric.</summary>
    public const string ScopeName = "pipeline.ebpf";

    private readonly string _hostName;
    private readonly IProcessResolver? _resolver;
    private readonly Dictionary<uint, (Resource Resource, byte[] Encoded)> _cache = [];

    public ResourceFactory(string hostName, IProcessResolver? resolver)
    {
        _hostName = hostName;
        _resolver = resolver;
    }

    /// <summary>This receiver's version (<c>telemetry.sdk.version</c> and the scope version).</summary>
    public static string Version { get; } =
        typeof(ResourceFactory).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion?.Split('+')[0]
        ?? "0.0.0";

    /// <summary>The scope of our spans and metrics.</summary>
    public static InstrumentationScope Scope() => new() { Name = ScopeName, Version = Version };

    /// <summary>The resource of a process (a copy the caller owns).</summary>
    public Resource For(uint tgid) => Cached(tgid).Resource.Clone();

    /// <summary>The encoded scope (an <c>InstrumentationScope</c> message body).</summary>
    public static byte[] EncodedScope { get; } = Scope().ToByteArray();

    /// <summary>The encoded resource of a process (a <c>Resource</c> message body).</summary>
    public byte[] Encoded(uint tgid) => Cached(tgid).Encoded;

    /// <summary>Forgets a process (exit or exec changed it).</summary>
    public void Forget(uint tgid) => _cache.Remove(tgid);

    private (Resource Resource, byte[] Encoded) Cached(uint tgid)
    {
        if (!_cache.TryGetValue(tgid, out var entry))
        {
            var resource = Build(tgid, _resolver?.Resolve(tgid));
            entry = (resource, resource.ToByteArray());
            _cache[tgid] = entry;
        }

        return entry;
    }

    /// <summary><c>service.name</c>: OTEL_SERVICE_NAME when the process sets it, else for <c>dotnet app.dll</c> the
    /// dll's name, else the executable's name (OBI would say <c>dotnet</c>; the app is more useful).</summary>
    internal static string ServiceName(ProcessIdentity identity)
    {
        if (!string.IsNullOrWhiteSpace(identity.ServiceName))
        {
            return identity.ServiceName;
        }

        if (identity.ExecutableName is "dotnet" or "dotnet.exe")
        {
            for (int i = 1; i < identity.Arguments.Count; i++)
            {
                string arg = identity.Arguments[i];
                if (arg.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && !arg.StartsWith('-'))
                {
                    return Path.GetFileNameWithoutExtension(arg);
                }
            }
        }

        return identity.ExecutableName.Length > 0 ? identity.ExecutableName : "unknown_service";
    }

    private Resource Build(uint tgid, ProcessIdentity? identity)
    {
        var resource = new Resource();
        var a = resource.Attributes;
        uint pid = identity is null ? tgid : identity.NamespacePid != 0 ? identity.NamespacePid : identity.Pid;
        Add(a, "service.name", identity is null ? "unknown_service" : ServiceName(identity));
        Add(a, "service.instance.id", _hostName + ":" + tgid.ToString(CultureInfo.InvariantCulture));
        a.Add(new KeyValue { Key = "process.pid", Value = new AnyValue { IntValue = pid } });
        if (identity is not null)
        {
            Add(a, "process.executable.name", identity.ExecutableName);
            if (identity.ExecutablePath is not null)
            {
                Add(a, "process.executable.path", identity.ExecutablePath);
            }
        }

        Add(a, "host.name", _hostName);
        Add(a, "os.type", "linux");
        Add(a, "telemetry.sdk.name", SdkName);
        Add(a, "telemetry.sdk.language", identity?.Language ?? "unknown");
        Add(a, "telemetry.sdk.version", Version);
        return resource;
    }

    private static void Add(Google.Protobuf.Collections.RepeatedField<KeyValue> attributes, string key, string value) =>
        attributes.Add(new KeyValue { Key = key, Value = new AnyValue { StringValue = value } });
}
