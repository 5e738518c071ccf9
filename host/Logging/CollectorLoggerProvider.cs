using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Pipeline.Host.Logging;

/// <summary>
/// The collector's own log output in otelcol's spirit: <c>timestamp level category message</c> separated by tabs, or
/// one JSON object per line (<c>level</c>, <c>ts</c>, <c>logger</c>, <c>msg</c>, the component's kind and ID, the
/// message's fields). Written synchronously under a lock, so lines never interleave. No reflection.
/// </summary>
internal sealed class CollectorLoggerProvider : ILoggerProvider
{
    private readonly TextWriter _output;
    private readonly LogEncoding _encoding;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();

    /// <summary>Creates the provider.</summary>
    public CollectorLoggerProvider(TextWriter output, LogEncoding encoding, TimeProvider? time = null)
    {
        _output = output;
        _encoding = encoding;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Creates a logger factory that writes through a new provider at or above <paramref name="minLevel"/>.</summary>
    public static ILoggerFactory CreateFactory(TextWriter output, LogEncoding encoding, LogLevel minLevel, TimeProvider? time = null)
    {
        var provider = new CollectorLoggerProvider(output, encoding, time);
        return new LoggerFactory([provider], new LoggerFilterOptions { MinLevel = minLevel });
    }

    /// <summary>Maps otelcol's level names (debug, info, warn, error) to a level.</summary>
    public static bool TryParseLevel(string text, out LogLevel level)
    {
        switch (text.ToLowerInvariant())
        {
            case "debug": level = LogLevel.Debug; return true;
            case "info": level = LogLevel.Information; return true;
            case "warn": level = LogLevel.Warning; return true;
            case "error": level = LogLevel.Error; return true;
            default: level = LogLevel.Information; return false;
        }
    }

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new CollectorLogger(this, categoryName);

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _output.Flush();
        }
    }

    internal void Write<TState>(string category, LogLevel level, TState state, Exception? exception, string message)
    {
        var now = _time.GetUtcNow();
        string line = _encoding == LogEncoding.Json
            ? FormatJson(category, level, state, exception, message, now)
            : FormatConsole(category, level, exception, message, now);
        lock (_gate)
        {
            _output.Write(line);
            _output.Flush();
        }
    }

    private static string FormatConsole(string category, LogLevel level, Exception? exception, string message, DateTimeOffset now)
    {
        var text = new StringBuilder(64 + message.Length);
        text.Append(now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        text.Append('\t').Append(LevelName(level));
        text.Append('\t').Append(category);
        text.Append('\t').Append(message);
        if (exception is not null)
        {
            text.Append("\t{\"error\": \"").Append(exception.Message).Append("\"}");
        }

        text.Append('\n');
        return text.ToString();
    }

    private static string FormatJson<TState>(string category, LogLevel level, TState state, Exception? exception, string message, DateTimeOffset now)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("level", LevelName(level));
            json.WriteString("ts", now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("logger", category);
            json.WriteString("msg", message);
            int cut = category.IndexOf("::", StringComparison.Ordinal);
            if (cut > 0 && cut + 2 < category.Length)
            {
                string kind = category[..cut];
                json.WriteString("otelcol.component.kind", kind.EndsWith('s') ? kind[..^1] : kind);
                json.WriteString("otelcol.component.id", category[(cut + 2)..]);
            }

            if (state is IReadOnlyList<KeyValuePair<string, object?>> fields)
            {
                for (int i = 0; i < fields.Count; i++)
                {
                    var (key, value) = fields[i];
                    if (key == "{OriginalFormat}")
                    {
                        continue;
                    }

                    WriteField(json, key, value);
                }
            }

            if (exception is not null)
            {
                json.WriteString("error", exception.Message);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    private static void WriteField(Utf8JsonWriter json, string key, object? value)
    {
        switch (value)
        {
            case null: json.WriteNull(key); break;
            case bool b: json.WriteBoolean(key, b); break;
            case int n: json.WriteNumber(key, n); break;
            case long n: json.WriteNumber(key, n); break;
            case double d when double.IsFinite(d): json.WriteNumber(key, d); break;
            case TimeSpan t: json.WriteString(key, Abstractions.Configuration.GoDuration.Format(t)); break;
            default: json.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "error",
        LogLevel.Critical => "fatal",
        _ => "info",
    };
}
