using System.Reflection;

namespace Pipeline.Receivers.Ebpf.Tests.Kernel;

/// <summary>The four real HTTP/1.1 servers the kernel tests trace, each serving the same routes on 127.0.0.1:
/// <c>/ok</c>, <c>/status/{code}</c>, <c>/big</c> (1 MiB), <c>/echo</c> (POST body back; not nginx) and 404 for
/// anything else. Their syscalls (strace findings in bpf/README.md) differ on purpose: nginx reads with recvfrom and
/// writes headers with writev and bodies with sendfile; Python uses recvfrom/sendto; Node read/writev; Kestrel
/// recvfrom (after a one-byte MSG_PEEK), sendto and sendmsg.</summary>
internal static class TestServers
{
    /// <summary>The server names the theories run over.</summary>
    public const string Nginx = "nginx";
    public const string Python = "python";
    public const string Node = "node";
    public const string Kestrel = "kestrel";

    /// <summary>Written in every test server's arguments (and in curl's), so one receiver selects them all with
    /// <c>cmd_args: "*pipeline-ebpf-e2e*"</c> and nothing else on the machine.</summary>
    public const string Marker = "pipeline-ebpf-e2e";

    /// <summary>Response body size of <c>/big</c>.</summary>
    public const int BigSize = 1 << 20;

    /// <summary>Starts <paramref name="kind"/> on a free port; skips (or fails under PIPELINE_REQUIRE_EBPF=1) when its
    /// program is not installed.</summary>
    public static ServerProcess Start(string kind)
    {
        int port = ServerProcess.FreePort();
        string assets = Path.Combine(AppContext.BaseDirectory, "Assets");
        switch (kind)
        {
            case Nginx:
                return StartNginx(BpfRequirement.RequireProgram("nginx"), port);
            case Python:
                return ServerProcess.Start(BpfRequirement.RequireProgram("python3"), [Path.Combine(assets, "server.py"), Port(port), Marker], port);
            case Node:
                return ServerProcess.Start(BpfRequirement.RequireProgram("node"), [Path.Combine(assets, "server.js"), Port(port), Marker], port);
            case Kestrel:
                string dll = typeof(TestServers).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "KestrelTestServer").Value!;
                if (!File.Exists(dll))
                {
                    throw new FileNotFoundException("The Kestrel test server is not built (the test project's ProjectReference builds it).", dll);
                }

                return ServerProcess.Start(BpfRequirement.RequireProgram("dotnet"), [dll, Port(port), Marker], port, Path.GetDirectoryName(dll), new Dictionary<string, string> { ["DOTNET_gcServer"] = "0" });
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown test server.");
        }
    }

    private static ServerProcess StartNginx(string nginx, int port)
    {
        string root = Directory.CreateTempSubdirectory(Marker + "-nginx").FullName;
        File.WriteAllText(Path.Combine(root, "ok"), "ok\n");
        File.WriteAllBytes(Path.Combine(root, "big"), Enumerable.Repeat((byte)'g', BigSize).ToArray());
        File.WriteAllText(Path.Combine(root, "nginx.conf"), $$"""
            daemon off;
            master_process off;
            worker_processes 1;
            pid {{root}}/nginx.pid;
            error_log {{root}}/error.log;
            events { worker_connections 256; }
            http {
                access_log off;
                sendfile on;
                keepalive_requests 1000;
                client_body_temp_path {{root}};
                proxy_temp_path {{root}};
                fastcgi_temp_path {{root}};
                uwsgi_temp_path {{root}};
                scgi_temp_path {{root}};
                server {
                    listen 127.0.0.1:{{port}} backlog=256;
                    root {{root}};
                    location = /status/500 { return 500; }
                    location = /status/404 { return 404; }
                    location = /status/201 { return 201 "created\n"; }
                    location = /status/202 { return 202 "accepted\n"; }
                }
            }
            """);
        return ServerProcess.Start(nginx, ["-c", Path.Combine(root, "nginx.conf"), "-p", root], port, root);
    }

    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
