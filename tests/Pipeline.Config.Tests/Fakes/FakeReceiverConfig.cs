using Pipeline.Abstractions.Configuration;

namespace Pipeline.Config.Tests.Fakes;

/// <summary>A receiver config with nested keys, a duration and ints.</summary>
internal sealed class FakeReceiverConfig : IComponentConfig
{
    /// <summary>Default localhost:4317.</summary>
    public string Endpoint { get; set; } = "localhost:4317";

    /// <summary>Default 5s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Default 4.</summary>
    public int Workers { get; set; } = 4;

    /// <summary>Written under <c>protocols::grpc</c>; default 4.</summary>
    public int MaxRecvMsgSizeMib { get; set; } = 4;

    /// <summary>Written under <c>protocols::http</c>; default 10s.</summary>
    public TimeSpan HttpReadTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Default empty.</summary>
    public List<string> Tags { get; set; } = [];

    public void Bind(ConfigSection s)
    {
        Endpoint = s.GetString("endpoint", Endpoint);
        Timeout = s.GetDuration("timeout", Timeout);
        Workers = s.GetInt32("workers", Workers, min: 1, max: 64);
        Tags = s.GetStringList("tags", Tags);
        if (s.GetSection("protocols") is { } protocols)
        {
            if (protocols.GetSection("grpc") is { } grpc)
            {
                MaxRecvMsgSizeMib = grpc.GetInt32("max_recv_msg_size_mib", MaxRecvMsgSizeMib, min: 0);
                grpc.Finish();
            }

            if (protocols.GetSection("http") is { } http)
            {
                HttpReadTimeout = http.GetDuration("read_timeout", HttpReadTimeout);
                http.Finish();
            }

            protocols.Finish();
        }

        s.Finish();
    }

    public void Validate(ValidationErrors errors)
    {
        if (Endpoint.Length == 0)
        {
            errors.Add("endpoint", "must not be empty.");
        }
    }
}
