using Pipeline.Abstractions.Configuration;
using Pipeline.Receivers.Ebpf.Discovery;
using Xunit;
using static Pipeline.Receivers.Ebpf.Tests.Discovery.Nodes;

namespace Pipeline.Receivers.Ebpf.Tests.Discovery;

public sealed class SelectorTests
{
    [Theory]
    [InlineData("*/nginx", "/usr/sbin/nginx", true)]
    [InlineData("*/nginx", "/usr/sbin/nginx-debug", false)]
    [InlineData("{*/python3*,*/node}", "/usr/bin/node", true)]
    [InlineData("{*/python3*,*/node}", "/usr/bin/python3.11", true)]
    [InlineData("*otelcol-contrib[!/]*", "/opt/otelcol-contribX", true)]
    [InlineData("*otelcol-contrib[!/]*", "/opt/otelcol-contrib/x", false)]
    [InlineData("/usr/bin/?ode", "/usr/bin/node", true)]
    [InlineData("a.b", "axb", false)]
    public void Glob_Matches_LikeObi(string pattern, string value, bool expected)
    {
        var glob = Glob.TryParse(pattern, out string? error);

        Assert.Null(error);
        Assert.Equal(expected, glob!.IsMatch(value));
    }

    [Theory]
    [InlineData("80,8000-8999", 80, true)]
    [InlineData("80,8000-8999", 8500, true)]
    [InlineData("80,8000-8999", 9000, false)]
    [InlineData(" 443 ", 443, true)]
    public void PortRanges_Contains(string text, int port, bool expected)
    {
        var ranges = PortRanges.TryParse(text, out _);

        Assert.Equal(expected, ranges!.Contains(port));
    }

    [Theory]
    [InlineData("80-70", "\"80-70\" is not a port (1-65535) or a range like 8000-8999")]
    [InlineData("0", "\"0\" is not a port (1-65535) or a range like 8000-8999")]
    [InlineData("http", "\"http\" is not a port (1-65535) or a range like 8000-8999")]
    [InlineData(",", "no ports given")]
    public void PortRanges_Rejects(string text, string message)
    {
        var ranges = PortRanges.TryParse(text, out string? error);

        Assert.Null(ranges);
        Assert.Equal(message, error);
    }

    [Fact]
    public void Selector_AllSelectorsWritten_MustAllMatch()
    {
        var selector = Bind(Map(("open_ports", S("8000-8999")), ("exe_path", S("*/python3*")), ("cmd_args", S("*http.server*"))));
        var python = Process(exe: "/usr/bin/python3.11", args: ["python3", "-m", "http.server", "8080"], ports: [8080]);
        var wrongPort = python with { ListenPorts = [9090] };
        var wrongArgs = python with { CommandLine = ["python3", "app.py"] };

        Assert.True(selector.Matches(python));
        Assert.False(selector.Matches(wrongPort));
        Assert.False(selector.Matches(wrongArgs));
    }

    [Fact]
    public void Selector_TargetPids_MatchesOnlyThem()
    {
        var selector = Bind(Map(("target_pids", List(S("42"), S("43")))));

        Assert.True(selector.Matches(Process(pid: 43)));
        Assert.False(selector.Matches(Process(pid: 44)));
    }

    [Fact]
    public void Rejects_SelectorWithoutCriteria()
    {
        var errors = new ConfigErrorList();
        var selector = new ProcessSelector();

        selector.Validate(new ValidationErrors(errors, "receivers::ebpf::discovery::instrument::0"));

        Assert.Equal("receivers::ebpf::discovery::instrument::0: at least one of open_ports, exe_path, cmd_args or target_pids must be set.", Assert.Single(errors.Errors).ToString());
    }

    [Fact]
    public void Rejects_BadPortsAndGlobs()
    {
        var errors = new ConfigErrorList();
        var selector = Bind(Map(("open_ports", S("80-70")), ("exe_path", S("*/{nginx"))), errors);

        selector.Validate(new ValidationErrors(errors, "d"));

        Assert.Equal(
            ["d::open_ports: \"80-70\" is invalid: \"80-70\" is not a port (1-65535) or a range like 8000-8999.", "d::exe_path: \"*/{nginx\" is invalid: unclosed {."],
            errors.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Rejects_UnknownSelectorKey()
    {
        var errors = new ConfigErrorList();

        Bind(Map(("exe_paht", S("x"))), errors);

        Assert.Equal("d: has invalid keys: exe_paht.", Assert.Single(errors.Errors).ToString());
    }

    [Fact]
    public void DiscoveryConfig_Binds_ObiKeys()
    {
        var errors = new ConfigErrorList();
        var config = new DiscoveryConfig();

        config.Bind(Section(
            Map(
                ("instrument", List(Map(("open_ports", S("80,8000-8999"))), Map(("exe_path", S("*/nginx"))))),
                ("exclude_instrument", List(Map(("cmd_args", S("*--no-trace*"))))),
                ("poll_interval", S("500ms"))),
            errors));

        Assert.Empty(errors.Errors);
        Assert.Equal(["80,8000-8999", null], config.Instrument.Select(s => s.OpenPorts));
        Assert.Equal("*/nginx", config.Instrument[1].ExePath);
        Assert.Equal("*--no-trace*", Assert.Single(config.ExcludeInstrument).CmdArgs);
        Assert.Equal(TimeSpan.FromMilliseconds(500), config.PollInterval);
    }

    internal static ProcessInfo Process(uint pid = 42, string? exe = "/usr/bin/x", List<string>? args = null, List<int>? ports = null) =>
        new(pid, pid, exe, Path.GetFileName(exe ?? "x"), args ?? ["x"], null, ports ?? []);

    private static ProcessSelector Bind(ConfigMap map, ConfigErrorList? errors = null)
    {
        var selector = new ProcessSelector();
        selector.Bind(Section(map, errors ?? new ConfigErrorList()));
        return selector;
    }
}
