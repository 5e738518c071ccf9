using Pipeline.Abstractions.Configuration;
using Pipeline.Receivers.Ebpf.Discovery;
using Pipeline.Receivers.Ebpf.Tests.Kernel;
using Xunit;

namespace Pipeline.Receivers.Ebpf.Tests.Discovery;

/// <summary>Discovery over the real /proc with a recording pid filter (no kernel objects needed).</summary>
public sealed class ProcessDiscoveryTests
{
    [SkippableFact]
    public void Scan_OpenPortsSelector_FindsTheListeningServerAndReadsItsIdentity()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "reads /proc");
        string python = BpfRequirement.RequireProgram("python3");
        int port = ServerProcess.FreePort();
        using var server = ServerProcess.Start(python, ["-m", "http.server", port.ToString(), "--bind", "127.0.0.1"], port, environment: new Dictionary<string, string> { ["OTEL_SERVICE_NAME"] = "files" });
        var filter = new RecordingFilter();
        var discovery = Create(filter, new ProcessSelector { OpenPorts = port.ToString() });

        var added = discovery.Scan();

        Assert.Equal([server.Pid], added);
        Assert.Equal([server.Pid], filter.Pids);
        var info = discovery.Get(server.Pid)!;
        Assert.StartsWith("python3", info.ExecutableName);
        Assert.Equal(["-m", "http.server", port.ToString(), "--bind", "127.0.0.1"], info.CommandLine.Skip(1));
        Assert.Equal("files", info.ServiceName);
        Assert.Equal([port], info.ListenPorts);
        Assert.Equal(server.Pid, info.NamespacePid);
    }

    [SkippableFact]
    public void Scan_ProcessGone_IsRemovedFromTheFilter()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "reads /proc");
        string python = BpfRequirement.RequireProgram("python3");
        int port = ServerProcess.FreePort();
        var server = ServerProcess.Start(python, ["-m", "http.server", port.ToString(), "--bind", "127.0.0.1"], port);
        uint pid = server.Pid;
        var filter = new RecordingFilter();
        var discovery = Create(filter, new ProcessSelector { CmdArgs = "*http.server " + port + "*" });
        discovery.Scan();

        server.Dispose();
        discovery.Scan();

        Assert.Empty(filter.Pids);
        Assert.Equal([pid], filter.Purged);
        Assert.Equal(0, discovery.TracedCount);
    }

    [SkippableFact]
    public void Scan_NeverSelectsItself_NorDefaultExcludes()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "reads /proc");
        var filter = new RecordingFilter();
        var discovery = Create(filter, new ProcessSelector { TargetPids = [Environment.ProcessId] });

        var added = discovery.Scan();

        Assert.Empty(added);
        Assert.Empty(filter.Pids);
    }

    [SkippableFact]
    public void Check_ListeningServer_IsTracedAloneWithoutAScan()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "reads /proc");
        string python = BpfRequirement.RequireProgram("python3");
        int port = ServerProcess.FreePort();
        using var server = ServerProcess.Start(python, ["-m", "http.server", port.ToString(), "--bind", "127.0.0.1"], port);
        var filter = new RecordingFilter();
        var discovery = Create(filter, new ProcessSelector { OpenPorts = port.ToString() });

        bool added = discovery.Check(server.Pid);
        bool again = discovery.Check(server.Pid);

        Assert.True(added);
        Assert.False(again);
        Assert.Equal([server.Pid], filter.Pids);
        Assert.Equal([port], discovery.Get(server.Pid)!.ListenPorts);
    }

    [SkippableFact]
    public void Check_ProcessNoLongerMatchingOrGone_IsUntraced()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "reads /proc");
        string python = BpfRequirement.RequireProgram("python3");
        int port = ServerProcess.FreePort();
        var server = ServerProcess.Start(python, ["-m", "http.server", port.ToString(), "--bind", "127.0.0.1"], port);
        uint pid = server.Pid;
        var filter = new RecordingFilter();
        var discovery = Create(filter, new ProcessSelector { OpenPorts = port.ToString() });
        discovery.Check(pid);

        server.Dispose();
        bool added = discovery.Check(pid);

        Assert.False(added);
        Assert.Empty(filter.Pids);
        Assert.Equal([pid], filter.Purged);
        Assert.Equal(0, discovery.TracedCount);
    }

    private static ProcessDiscovery Create(RecordingFilter filter, ProcessSelector selector)
    {
        var config = new DiscoveryConfig { Instrument = [selector] };
        config.Validate(new ValidationErrors(new ConfigErrorList(), "discovery"));
        return new ProcessDiscovery(config, new ProcFs(), filter, (uint)Environment.ProcessId);
    }

    private sealed class RecordingFilter : IPidFilter
    {
        public List<uint> Pids { get; } = [];

        public List<uint> Purged { get; } = [];

        public void Add(uint tgid) => Pids.Add(tgid);

        public void Remove(uint tgid) => Pids.Remove(tgid);

        public int PurgeConnections(uint tgid)
        {
            Purged.Add(tgid);
            return 0;
        }
    }
}
