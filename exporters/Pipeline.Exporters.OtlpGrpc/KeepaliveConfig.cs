using Pipeline.Abstractions.Configuration;

namespace Pipeline.Exporters.OtlpGrpc;

/// <summary><c>keepalive</c>: HTTP/2 pings on the connection (configgrpc.KeepaliveClientConfig). Absent by default (no pings).</summary>
public sealed class KeepaliveConfig
{
    /// <summary>Ping after this long without activity. Default 0 (grpc-go treats 0 as its minimum, 10s).</summary>
    public TimeSpan Time { get; set; }

    /// <summary>Close the connection when a ping is not answered within this long. Default 0 (20s).</summary>
    public TimeSpan Timeout { get; set; }

    /// <summary>Ping even when no call is active. Default false.</summary>
    public bool PermitWithoutStream { get; set; }

    /// <summary>Reads the <c>keepalive</c> section.</summary>
    public void Bind(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        Time = section.GetDuration("time", Time);
        Timeout = section.GetDuration("timeout", Timeout);
        PermitWithoutStream = section.GetBool("permit_without_stream", PermitWithoutStream);
        section.Finish();
    }
}
