using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Logging;
using Pipeline.Receivers.Ebpf.Interop;

namespace Pipeline.Receivers.Ebpf.Loader;

/// <summary>Routes libbpf's process-wide log callback to an ILogger. The C callback takes a va_list, which C# cannot
/// declare; it arrives as a pointer and libc's vsnprintf formats it. Warnings (load and verifier failures) are
/// logged as warnings, info as debug, libbpf debug output is dropped.</summary>
internal static unsafe partial class LibbpfLog
{
    private const int LevelWarn = 0;
    private const int LevelInfo = 1;
    private static ILogger? s_logger;

    /// <summary>Installs the callback, logging to <paramref name="logger"/>; the last caller wins (libbpf has one sink).</summary>
    public static void Install(ILogger logger)
    {
        Volatile.Write(ref s_logger, logger);
        Libbpf.LibbpfSetPrint(&Print);
    }

    [UnmanagedCallersOnly]
    private static int Print(int level, byte* format, nint args)
    {
        var logger = Volatile.Read(ref s_logger);
        if (logger is null || level > LevelInfo)
        {
            return 0;
        }

        var logLevel = level == LevelWarn ? LogLevel.Warning : LogLevel.Debug;
        if (!logger.IsEnabled(logLevel))
        {
            return 0;
        }

        const int Size = 1024;
        byte* buffer = stackalloc byte[Size];
        int n = LibC.Vsnprintf(buffer, Size, format, args);
        if (n <= 0)
        {
            return 0;
        }

        int length = Math.Min(n, Size - 1);
        string line = Encoding.UTF8.GetString(buffer, length).TrimEnd('\n');
        if (logLevel == LogLevel.Warning)
        {
            Log.Warning(logger, line);
        }
        else
        {
            Log.Info(logger, line);
        }

        return n;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "libbpf: {Line}")]
        public static partial void Warning(ILogger logger, string line);

        [LoggerMessage(EventId = 41, Level = LogLevel.Debug, Message = "libbpf: {Line}")]
        public static partial void Info(ILogger logger, string line);
    }
}
