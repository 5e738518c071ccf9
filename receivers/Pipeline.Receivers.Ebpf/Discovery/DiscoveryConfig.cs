using System.Globalization;
using Pipeline.Abstractions.Configuration;

namespace Pipeline.Receivers.Ebpf.Discovery;

/// <summary>The <c>discovery</c> section, with OpenTelemetry eBPF Instrumentation's names.</summary>
public sealed class DiscoveryConfig
{
    /// <summary>OBI's <c>default_exclude_instrument</c> executables: collectors and instrumenters never trace themselves.</summary>
    internal const string DefaultExcludeExePath = "{*/obi,obi,*otelcol,*otelcol-contrib,*otelcol-contrib[!/]*,*/beyla,beyla}";

    /// <summary><c>instrument</c>: processes to trace; a process matching any entry is traced. Default: none.</summary>
    public List<ProcessSelector> Instrument { get; set; } = [];

    /// <summary><c>exclude_instrument</c>: processes never traced, even when an <c>instrument</c> entry matches. Default: none.</summary>
    public List<ProcessSelector> ExcludeInstrument { get; set; } = [];

    /// <summary><c>default_exclude_instrument</c>: OBI's built-in excludes (collectors, OBI, Beyla). Default: those.</summary>
    public List<ProcessSelector> DefaultExcludeInstrument { get; set; } = [new() { ExePath = DefaultExcludeExePath }];

    /// <summary><c>poll_interval</c>: how often /proc is rescanned (also on every exec and new listening socket). Default: 5s (OBI's).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Reads the section.</summary>
    public void Bind(ConfigSection section)
    {
        Instrument = BindList(section, "instrument", Instrument);
        ExcludeInstrument = BindList(section, "exclude_instrument", ExcludeInstrument);
        DefaultExcludeInstrument = BindList(section, "default_exclude_instrument", DefaultExcludeInstrument);
        PollInterval = section.GetDuration("poll_interval", PollInterval);
        section.Finish();
    }

    /// <summary>Checks every selector.</summary>
    public void Validate(ValidationErrors errors)
    {
        ValidateList(errors, "instrument", Instrument);
        ValidateList(errors, "exclude_instrument", ExcludeInstrument);
        ValidateList(errors, "default_exclude_instrument", DefaultExcludeInstrument);
        if (PollInterval <= TimeSpan.Zero)
        {
            errors.Add("poll_interval", $"\"{GoDuration.Format(PollInterval)}\" must be positive.");
        }
    }

    private static List<ProcessSelector> BindList(ConfigSection section, string key, List<ProcessSelector> current)
    {
        var sections = section.GetSectionList(key);
        if (sections is null)
        {
            return current;
        }

        var result = new List<ProcessSelector>(sections.Count);
        foreach (var item in sections)
        {
            var selector = new ProcessSelector();
            selector.Bind(item);
            result.Add(selector);
        }

        return result;
    }

    private static void ValidateList(ValidationErrors errors, string key, List<ProcessSelector> selectors)
    {
        for (int i = 0; i < selectors.Count; i++)
        {
            selectors[i].Validate(errors.Nested(key + "::" + i.ToString(CultureInfo.InvariantCulture)));
        }
    }
}
