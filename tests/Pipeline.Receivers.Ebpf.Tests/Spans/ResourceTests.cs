using Pipeline.Receivers.Ebpf.Spans;
using Pipeline.Receivers.Ebpf.Tests.Tracking;
using Pipeline.Receivers.Ebpf.Tracking;
using Xunit;

namespace Pipeline.Receivers.Ebpf.Tests.Spans;

public class ResourceTests
{
    [Theory]
    [InlineData("/usr/bin/dotnet", "dotnet", "dotnet /srv/app/Orders.Api.dll", null, "Orders.Api")]
    [InlineData("/usr/bin/dotnet", "dotnet", "dotnet exec --roll-forward Major /srv/app.dll --urls http://+:80", null, "app")]
    [InlineData("/usr/bin/dotnet", "dotnet", "dotnet run", null, "dotnet")]
    [InlineData("/usr/sbin/nginx", "nginx", "nginx: worker process", null, "nginx")]
    [InlineData("/usr/bin/python3.11", "python3.11", "python3 -m http.server", "checkout", "checkout")]
    [InlineData("/usr/bin/dotnet", "dotnet", "dotnet app.dll", "billing", "billing")]
    public void ServiceName_FromEnvThenDllThenExecutable(string path, string name, string commandLine, string? env, string expected)
    {
        var identity = new ProcessIdentity(1, 1, path, name, commandLine.Split(' '), env);

        string serviceName = ResourceFactory.ServiceName(identity);

        Assert.Equal(expected, serviceName);
    }

    [Fact]
    public void Resource_KnownProcess_HasProcessHostAndSdkAttributes()
    {
        var h = new ProcessorHarness(null, 65536, new ProcessIdentity(200, 7, "/usr/bin/dotnet", "dotnet", ["dotnet", "Shop.dll"], null, "dotnet"));
        var c = h.Server(200);

        h.Handle(c.Open(), c.Read("GET / HTTP/1.1\r\n\r\n"), c.Write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        var (resource, _) = Assert.Single(h.TakeSpans());

        Assert.Equal(
            new Dictionary<string, object>
            {
                ["service.name"] = "Shop",
                ["service.instance.id"] = "testhost:200",
                ["process.pid"] = 7L,
                ["process.executable.name"] = "dotnet",
                ["process.executable.path"] = "/usr/bin/dotnet",
                ["host.name"] = "testhost",
                ["os.type"] = "linux",
                ["telemetry.sdk.name"] = "pipeline-ebpf",
                ["telemetry.sdk.language"] = "dotnet",
                ["telemetry.sdk.version"] = ResourceFactory.Version,
            },
            ProcessorHarness.Attributes(resource.Attributes));
    }

    [Fact]
    public void Resource_UnknownProcess_FallsBackToPid()
    {
        var h = new ProcessorHarness();
        var c = h.Server(321);

        h.Handle(c.Open(), c.Read("GET / HTTP/1.1\r\n\r\n"), c.Write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        var attributes = ProcessorHarness.Attributes(Assert.Single(h.TakeSpans()).Resource.Attributes);

        Assert.Equal("unknown_service", attributes["service.name"]);
        Assert.Equal(321L, attributes["process.pid"]);
        Assert.Equal("unknown", attributes["telemetry.sdk.language"]);
    }

    [Fact]
    public void Resource_ResolvedOncePerProcess_AndAgainAfterExec()
    {
        var h = new ProcessorHarness(null, 65536, new ProcessIdentity(200, 200, "/bin/app", "app", ["app"], null));
        var c = h.Server(200);
        h.Handle(c.Open());

        for (int i = 0; i < 3; i++)
        {
            h.Handle(c.Read("GET / HTTP/1.1\r\n\r\n"), c.Write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
            h.TakeSpans();
        }

        h.Handle(new SocketEvent { Kind = SocketEventKind.ProcessExec, Tgid = 200, Tid = 200 });
        h.Handle(c.Read("GET / HTTP/1.1\r\n\r\n"), c.Write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        h.TakeSpans();

        Assert.Equal(2, h.Processes.Calls);
    }
}
