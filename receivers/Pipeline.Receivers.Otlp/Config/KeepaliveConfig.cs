using Pipeline.Abstractions.Configuration;

namespace Pipeline.Receivers.Otlp.Config;

/// <summary>gRPC server keepalive (<c>keepalive::server_parameters</c> and <c>keepalive::enforcement_policy</c>).
/// Kestrel applies <see cref="MaxConnectionIdle"/>, <see cref="Time"/> and <see cref="Timeout"/>; the other keys are
/// accepted for compatibility and have no equivalent.</summary>
public sealed class KeepaliveConfig
{
    /// <summary>Close a connection idle this long; zero means Kestrel's default (130s). Default 0.</summary>
    public TimeSpan MaxConnectionIdle { get; set; }

    /// <summary>Maximum connection age; accepted, not applied. Default 0 (infinite).</summary>
    public TimeSpan MaxConnectionAge { get; set; }

    /// <summary>Grace period after <see cref="MaxConnectionAge"/>; accepted, not applied. Default 0.</summary>
    public TimeSpan MaxConnectionAgeGrace { get; set; }

    /// <summary>Ping an idle client after this long (HTTP/2 PING); zero means never. Default 0.</summary>
    public TimeSpan Time { get; set; }

    /// <summary>Close the connection when a ping is not answered within this. Default 0 (Kestrel's 20s).</summary>
    public TimeSpan Timeout { get; set; }

    /// <summary>Minimum time clients should wait between pings; accepted, not enforced. Default 0.</summary>
    public TimeSpan MinTime { get; set; }

    /// <summary>Allow client pings without active streams; accepted, not enforced. Default false.</summary>
    public bool PermitWithoutStream { get; set; }

    /// <summary>Reads the keys of a <c>keepalive</c> section.</summary>
    public void Bind(ConfigSection s)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (s.GetSection("server_parameters") is { } sp)
        {
            MaxConnectionIdle = sp.GetDuration("max_connection_idle", MaxConnectionIdle);
            MaxConnectionAge = sp.GetDuration("max_connection_age", MaxConnectionAge);
            MaxConnectionAgeGrace = sp.GetDuration("max_connection_age_grace", MaxConnectionAgeGrace);
            Time = sp.GetDuration("time", Time);
            Timeout = sp.GetDuration("timeout", Timeout);
            sp.Finish();
        }

        if (s.GetSection("enforcement_policy") is { } ep)
        {
            MinTime = ep.GetDuration("min_time", MinTime);
            PermitWithoutStream = ep.GetBool("permit_without_stream", PermitWithoutStream);
            ep.Finish();
        }

        s.Finish();
    }
}
