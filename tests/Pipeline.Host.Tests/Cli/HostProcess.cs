using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Pipeline.Host.Tests.Cli;

/// <summary>Runs the built collector (<c>dotnet pipeline.dll ...</c>) as a child process and captures its output.</summary>
internal sealed class HostProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly SemaphoreSlim _output = new(0);

    private HostProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static HostProcess Start(params string[] args) => Start(new Dictionary<string, string>(), args);

    /// <summary>Starts the collector with extra environment variables (on top of this process's).</summary>
    public static HostProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        info.ArgumentList.Add(RepoPaths.HostDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info };
        var host = new HostProcess(process);
        process.OutputDataReceived += (_, e) => host.Append(host._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(host._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Runs to completion (killing it after <paramref name="timeout"/>) and returns the exit code.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(TimeSpan timeout, params string[] args)
    {
        using var host = Start(args);
        int code = await host.WaitForExitAsync(timeout);
        return (code, host.Stdout, host.Stderr);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The collector did not exit within {timeout}. stderr:\n{Stderr}");
        }

        // Let the asynchronous readers drain.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Waits until stderr contains <paramref name="text"/>; false if the process exits or time runs out first.</summary>
    public async Task<bool> WaitForStderrAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Stderr.Contains(text, StringComparison.Ordinal))
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || _process.HasExited)
            {
                return Stderr.Contains(text, StringComparison.Ordinal);
            }

            await _output.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }

        return true;
    }

    /// <summary>Sends a POSIX signal with kill(1).</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + name, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string WriteConfig(string yaml)
    {
        string path = Path.Combine(Path.GetTempPath(), "pipeline-test-" + Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
        _output.Dispose();
    }

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (target)
        {
            target.Append(line).Append('\n');
        }

        _output.Release();
    }
}
