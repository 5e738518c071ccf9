using Pipeline.Abstractions.Configuration;

namespace Pipeline.Receivers.Otlp.Config;

/// <summary>The OTLP/gRPC server (<c>protocols::grpc</c>, otelcol's <c>configgrpc.ServerConfig</c>).</summary>
public sealed class GrpcServerConfig
{
    /// <summary>Listen address <c>host:port</c> (or a socket path with <c>transport: unix</c>). Default <c>localhost:4317</c>.</summary>
    public string Endpoint { get; set; } = "localhost:4317";

    /// <summary>tcp, tcp4, tcp6 or unix. Default tcp.</summary>
    public string Transport { get; set; } = ServerTransport.Tcp;

    /// <summary>Largest request message accepted, in MiB, after decompression; 0 means 4 (grpc-go's default). Default 4.</summary>
    public int MaxRecvMsgSizeMiB { get; set; } = 4;

    /// <summary>HTTP/2 streams per connection; 0 means unlimited. Default 0.</summary>
    public int MaxConcurrentStreams { get; set; }

    /// <summary>Bytes buffered per connection for reading; 0 means Kestrel's default. Default 524288.</summary>
    public int ReadBufferSize { get; set; } = 524288;

    /// <summary>Bytes buffered per connection for writing; 0 means Kestrel's default. Default 0.</summary>
    public int WriteBufferSize { get; set; }

    /// <summary>Copy every request metadata entry (lower-cased name, all values) into the batch's <c>ClientInfo.Metadata</c>, for
    /// <c>batch.metadata_keys</c>, <c>from_context: metadata.x</c> and routing on <c>request["x"]</c>. Default false.</summary>
    public bool IncludeMetadata { get; set; }

    /// <summary>Keepalive settings; null when not written.</summary>
    public KeepaliveConfig? Keepalive { get; set; }

    /// <summary>TLS; null (plain HTTP/2) when not written.</summary>
    public TlsServerConfig? Tls { get; set; }

    /// <summary>The message size limit in bytes.</summary>
    internal int MaxRecvMsgSizeBytes => (MaxRecvMsgSizeMiB == 0 ? 4 : MaxRecvMsgSizeMiB) * 1024 * 1024;

    /// <summary>Reads the keys of <c>protocols::grpc</c>.</summary>
    public void Bind(ConfigSection s)
    {
        ArgumentNullException.ThrowIfNull(s);
        Endpoint = s.GetString("endpoint", Endpoint);
        Transport = s.GetEnum("transport", Transport, ServerTransport.All);
        MaxRecvMsgSizeMiB = s.GetInt32("max_recv_msg_size_mib", MaxRecvMsgSizeMiB, min: 0, max: 2047);
        MaxConcurrentStreams = s.GetInt32("max_concurrent_streams", MaxConcurrentStreams, min: 0);
        ReadBufferSize = s.GetInt32("read_buffer_size", ReadBufferSize, min: 0);
        WriteBufferSize = s.GetInt32("write_buffer_size", WriteBufferSize, min: 0);
        IncludeMetadata = s.GetBool("include_metadata", IncludeMetadata);
        if (s.GetSection("keepalive") is { } keepalive)
        {
            (Keepalive ??= new KeepaliveConfig()).Bind(keepalive);
        }

        if (s.GetSection("tls") is { } tls)
        {
            (Tls ??= new TlsServerConfig()).Bind(tls);
        }

        UnsupportedKeys.Refuse(s);
        s.Finish();
    }

    /// <summary>Checks the endpoint and TLS.</summary>
    public void Validate(ValidationErrors e)
    {
        ArgumentNullException.ThrowIfNull(e);
        ServerTransport.ValidateEndpoint(e, Transport, Endpoint, "localhost:4317");
        Tls?.Validate(e.Nested("tls"));
    }
}
