using Pipeline.Abstractions.Configuration;
using Pipeline.Receivers.Ebpf.Discovery;
using Pipeline.Receivers.Ebpf.Routes;

namespace Pipeline.Receivers.Ebpf;

/// <summary>Config of the <c>ebpf</c> receiver: <c>discovery</c> and <c>routes</c> with OpenTelemetry eBPF
/// Instrumentation's names, plus the <c>ebpf</c> tuning section. Binding never touches the kernel (so
/// <c>validate</c> works on any machine); the feature probe runs at start.</summary>
public sealed class EbpfReceiverConfig : IComponentConfig
{
    /// <summary><c>discovery</c>: which processes are traced.</summary>
    public DiscoveryConfig Discovery { get; set; } = new();

    /// <summary><c>routes</c>: how paths become <c>http.route</c> (patterns, ignored patterns, unmatched mode).</summary>
    public RoutesConfig Routes { get; set; } = new();

    /// <summary><c>ebpf</c>: capture size, ring buffer, hand-off and flush intervals.</summary>
    public EbpfTuningConfig Ebpf { get; set; } = new();

    /// <inheritdoc />
    public void Bind(ConfigSection section)
    {
        if (section.GetSection("discovery") is { } discovery)
        {
            Discovery.Bind(discovery);
        }

        if (section.GetSection("routes") is { } routes)
        {
            Routes.Bind(routes);
        }

        if (section.GetSection("ebpf") is { } ebpf)
        {
            Ebpf.Bind(ebpf);
        }

        section.Finish();
    }

    /// <inheritdoc />
    public void Validate(ValidationErrors errors)
    {
        Discovery.Validate(errors.Nested("discovery"));
        Routes.Validate(errors.Nested("routes"));
        Ebpf.Validate(errors.Nested("ebpf"));
        if (Discovery.Instrument.Count == 0)
        {
            errors.Add("discovery::instrument", "at least one entry is needed (e.g. open_ports: 80,8000-8999); the ebpf receiver never traces every process.");
        }
    }
}
