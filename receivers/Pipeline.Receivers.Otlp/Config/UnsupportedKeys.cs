using Pipeline.Abstractions.Configuration;

namespace Pipeline.Receivers.Otlp.Config;

/// <summary>Server keys otelcol has that need extensions Pipeline does not have: refused with a clear reason
/// instead of the generic "invalid keys".</summary>
internal static class UnsupportedKeys
{
    /// <summary>Adds an error for <c>auth</c> and <c>middlewares</c> when written.</summary>
    public static void Refuse(ConfigSection s)
    {
        if (s.GetNode("auth") is not null)
        {
            s.Error("auth", "authenticator extensions are not supported by Pipeline; remove auth.");
        }

        if (s.GetNode("middlewares") is not null)
        {
            s.Error("middlewares", "middleware extensions are not supported by Pipeline; remove middlewares.");
        }
    }
}
