using Pipeline.Abstractions.Configuration;

namespace Pipeline.Receivers.Otlp.Config;

/// <summary>
/// The <c>otlp</c> receiver's config. Each protocol is on only when its key is written under <c>protocols</c>
/// (a bare <c>grpc:</c> is enough, and then takes every default).
/// </summary>
public sealed class OtlpReceiverConfig : IComponentConfig
{
    /// <summary>The gRPC server, or null when <c>protocols::grpc</c> is not written. Default null.</summary>
    public GrpcServerConfig? Grpc { get; set; }

    /// <summary>The HTTP server, or null when <c>protocols::http</c> is not written. Default null.</summary>
    public HttpServerConfig? Http { get; set; }

    /// <inheritdoc />
    public void Bind(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        if (section.GetSection("protocols") is { } protocols)
        {
            if (protocols.GetSection("grpc") is { } grpc)
            {
                (Grpc ??= new GrpcServerConfig()).Bind(grpc);
            }

            if (protocols.GetSection("http") is { } http)
            {
                (Http ??= new HttpServerConfig()).Bind(http);
            }

            protocols.Finish();
        }

        section.Finish();
    }

    /// <inheritdoc />
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (Grpc is null && Http is null)
        {
            errors.Add(string.Empty, "must specify at least one protocol when using the OTLP receiver.");
        }

        Grpc?.Validate(errors.Nested("protocols::grpc"));
        Http?.Validate(errors.Nested("protocols::http"));
    }
}
