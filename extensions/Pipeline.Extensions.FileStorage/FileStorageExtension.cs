using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Pipeline.Abstractions;

namespace Pipeline.Extensions.FileStorage;

/// <summary>
/// <c>file_storage</c>: one <see cref="FileStorageClient"/> per (kind, component, name), each a record log plus an
/// acknowledgement file in <see cref="FileStorageConfig.Directory"/>.
/// </summary>
internal sealed class FileStorageExtension : IStorageExtension
{
    private readonly FileStorageConfig _config;
    private readonly ILogger _logger;
    private readonly List<FileStorageClient> _clients = [];
    private readonly object _gate = new();

    public FileStorageExtension(FileStorageConfig config, ComponentSettings settings)
    {
        _config = config;
        _logger = settings.Logger;
    }

    public Task StartAsync(IComponentHost host, CancellationToken cancellationToken)
    {
        if (_config.CreateDirectory && !Directory.Exists(_config.Directory))
        {
            FileStorageConfig.TryParseMode(_config.DirectoryPermissions, out var mode);
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(_config.Directory);
            }
            else
            {
                Directory.CreateDirectory(_config.Directory, mode);
            }
        }

        if (!Directory.Exists(_config.Directory))
        {
            throw new InvalidOperationException($"directory must exist: {_config.Directory}.");
        }

        return Task.CompletedTask;
    }

    public Task ShutdownAsync(CancellationToken cancellationToken)
    {
        FileStorageClient[] clients;
        lock (_gate)
        {
            clients = [.. _clients];
            _clients.Clear();
        }

        foreach (var client in clients)
        {
            client.Dispose();
        }

        return Task.CompletedTask;
    }

    public IStorageClient GetClient(ComponentKind kind, ComponentId id, string name)
    {
        string path = Path.Combine(_config.Directory, FileName(kind, id, name));
        var client = FileStorageClient.Open(path, _config.Fsync, _config.Timeout, _config.CompactionOnStart, _logger);
        lock (_gate)
        {
            _clients.Add(client);
        }

        return client;
    }

    /// <summary><c>kind_type_name[_storagename]</c> with every unsafe character written as <c>~</c> + 4 hex digits.</summary>
    internal static string FileName(ComponentKind kind, ComponentId id, string name)
    {
        string raw = name.Length == 0
            ? $"{kind.SingularName()}_{id.Type}_{id.Name}"
            : $"{kind.SingularName()}_{id.Type}_{id.Name}_{name}";
        var sb = new StringBuilder(raw.Length);
        foreach (char c in raw)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('~').Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }
}
