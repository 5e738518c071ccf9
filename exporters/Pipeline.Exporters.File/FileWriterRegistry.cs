using Microsoft.Extensions.Logging;

namespace Pipeline.Exporters.File;

/// <summary>
/// Shares one <see cref="FileWriter"/> per absolute path across the exporters (one per signal) that write to it, as
/// otelcol shares one file per exporter across signals: the first start opens the file, the last shutdown closes it.
/// </summary>
internal static class FileWriterRegistry
{
    private static readonly Dictionary<string, FileWriter> Writers = new(StringComparer.Ordinal);
    private static readonly object Gate = new();

    /// <summary>Returns the writer for the config's path, opening the file if no one has it open.</summary>
    public static FileWriter Acquire(FileExporterConfig config, TimeProvider time, ILogger logger)
    {
        string fullPath = Path.GetFullPath(config.Path);
        lock (Gate)
        {
            if (!Writers.TryGetValue(fullPath, out var writer))
            {
                writer = new FileWriter(fullPath, config, time, logger);
                writer.Open();
                Writers.Add(fullPath, writer);
            }

            writer.References++;
            return writer;
        }
    }

    /// <summary>Drops one reference; the last one flushes and closes the file.</summary>
    public static void Release(FileWriter writer)
    {
        lock (Gate)
        {
            if (--writer.References > 0)
            {
                return;
            }

            Writers.Remove(writer.FullPath);
        }

        writer.Dispose();
    }
}
