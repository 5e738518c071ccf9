using System.Globalization;
using Pipeline.Abstractions.Configuration;

namespace Pipeline.Receivers.Ebpf.Discovery;

/// <summary>One entry of <c>discovery.instrument</c> or <c>discovery.exclude_instrument</c> (OBI's glob form). Every
/// selector written must match (AND); an entry with none matches nothing.</summary>
public sealed class ProcessSelector
{
    /// <summary><c>open_ports</c>: the process listens on one of these TCP ports, e.g. <c>80,8000-8999</c>.</summary>
    public string? OpenPorts { get; set; }

    /// <summary><c>exe_path</c>: glob on the full executable path, e.g. <c>*/nginx</c>.</summary>
    public string? ExePath { get; set; }

    /// <summary><c>cmd_args</c>: glob on the arguments after the executable, joined by spaces, e.g. <c>*http.server*</c>.</summary>
    public string? CmdArgs { get; set; }

    /// <summary><c>target_pids</c>: these host pids.</summary>
    public List<int> TargetPids { get; set; } = [];

    internal PortRanges? Ports { get; private set; }

    internal Glob? ExeGlob { get; private set; }

    internal Glob? ArgsGlob { get; private set; }

    internal bool IsEmpty => OpenPorts is null && ExePath is null && CmdArgs is null && TargetPids.Count == 0;

    /// <summary>Reads one list entry.</summary>
    public void Bind(ConfigSection section)
    {
        OpenPorts = ReadPorts(section);
        ExePath = section.GetOptionalString("exe_path", ExePath);
        CmdArgs = section.GetOptionalString("cmd_args", CmdArgs);
        var pids = section.GetStringList("target_pids", TargetPids.ConvertAll(p => p.ToString(CultureInfo.InvariantCulture)));
        TargetPids = [];
        foreach (string pid in pids)
        {
            if (int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0)
            {
                TargetPids.Add(value);
            }
            else
            {
                section.Error("target_pids", $"\"{pid}\" is not a process id.");
            }
        }

        section.Finish();
        Compile(null);
    }

    /// <summary>Checks the patterns (and compiles them).</summary>
    public void Validate(ValidationErrors errors)
    {
        if (IsEmpty)
        {
            errors.Add(string.Empty, "at least one of open_ports, exe_path, cmd_args or target_pids must be set.");
        }

        Compile(errors);
    }

    /// <summary>Compiles the patterns if Bind/Validate did not (selectors built in code); bad patterns match nothing.</summary>
    internal void EnsureCompiled()
    {
        if ((OpenPorts is not null && Ports is null) || (ExePath is not null && ExeGlob is null) || (CmdArgs is not null && ArgsGlob is null))
        {
            Compile(null);
        }
    }

    /// <summary>Whether a process matches every selector written.</summary>
    internal bool Matches(ProcessInfo process)
    {
        if (IsEmpty)
        {
            return false;
        }

        if (TargetPids.Count > 0 && !TargetPids.Contains((int)process.Pid))
        {
            return false;
        }

        if (ExeGlob is not null && (process.ExecutablePath is null || !ExeGlob.IsMatch(process.ExecutablePath)))
        {
            return false;
        }

        if (ArgsGlob is not null && !ArgsGlob.IsMatch(process.ArgumentsText))
        {
            return false;
        }

        if (Ports is not null)
        {
            foreach (int port in process.ListenPorts)
            {
                if (Ports.Contains(port))
                {
                    return true;
                }
            }

            return false;
        }

        return true;
    }

    private static string? ReadPorts(ConfigSection section)
    {
        // OBI accepts a string ("80,8000-8999"), a number, or a list.
        var list = section.GetStringList("open_ports", []);
        return list.Count == 0 ? null : string.Join(',', list);
    }

    private void Compile(ValidationErrors? errors)
    {
        string? error;
        Ports = OpenPorts is null ? null : PortRanges.TryParse(OpenPorts, out error) ?? Report<PortRanges>(errors, "open_ports", OpenPorts, error);
        ExeGlob = ExePath is null ? null : Glob.TryParse(ExePath, out error) ?? Report<Glob>(errors, "exe_path", ExePath, error);
        ArgsGlob = CmdArgs is null ? null : Glob.TryParse(CmdArgs, out error) ?? Report<Glob>(errors, "cmd_args", CmdArgs, error);
    }

    private static T? Report<T>(ValidationErrors? errors, string key, string value, string? error)
        where T : class
    {
        errors?.Add(key, $"\"{value}\" is invalid: {error}.");
        return null;
    }
}
