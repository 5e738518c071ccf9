using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;
using Grpc.Net.Client;

namespace Pipeline.LoadGen;

/// <summary>Outcome of one request.</summary>
internal enum Outcome
{
    Accepted,
    Refused,   // the collector said no (gRPC Unavailable/ResourceExhausted, HTTP 429/503): backpressure
    Failed,    // anything else
}

/// <summary>Sends one pre-encoded export body.</summary>
internal interface ISender : IDisposable
{
    Task<Outcome> SendAsync(byte[] body, CancellationToken cancellationToken);
}

/// <summary>gRPC over N HTTP/2 connections; the body is sent as-is (no client-side encode).</summary>
internal sealed class GrpcSender : ISender
{
    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(static b => b, static b => b);
    private readonly GrpcChannel[] _channels;
    private readonly Method<byte[], byte[]> _method;
    private int _next;

    public GrpcSender(Options o)
    {
        string service = o.Signal switch
        {
            "traces" => "opentelemetry.proto.collector.trace.v1.TraceService",
            "metrics" => "opentelemetry.proto.collector.metrics.v1.MetricsService",
            _ => "opentelemetry.proto.collector.logs.v1.LogsService",
        };
        _method = new Method<byte[], byte[]>(MethodType.Unary, service, "Export", Raw, Raw);
        _channels = new GrpcChannel[Math.Max(1, o.Connections)];
        for (int i = 0; i < _channels.Length; i++)
        {
            // One handler per channel = one HTTP/2 connection each.
            _channels[i] = GrpcChannel.ForAddress(o.Endpoint, new GrpcChannelOptions
            {
                HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = false },
                MaxSendMessageSize = 64 << 20,
            });
        }
    }

    public async Task<Outcome> SendAsync(byte[] body, CancellationToken cancellationToken)
    {
        var channel = _channels[(uint)Interlocked.Increment(ref _next) % (uint)_channels.Length];
        try
        {
            await channel.CreateCallInvoker().AsyncUnaryCall(_method, null, new CallOptions(cancellationToken: cancellationToken), body).ResponseAsync.ConfigureAwait(false);
            return Outcome.Accepted;
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.ResourceExhausted)
        {
            return Outcome.Refused;
        }
        catch (RpcException)
        {
            return Outcome.Failed;
        }
    }

    public void Dispose()
    {
        foreach (var c in _channels)
        {
            c.Dispose();
        }
    }
}

/// <summary>OTLP/HTTP protobuf over HTTP/1.1 keep-alive connections.</summary>
internal sealed class HttpSender : ISender
{
    private static readonly MediaTypeHeaderValue Protobuf = new("application/x-protobuf");
    private readonly HttpClient _client;
    private readonly Uri _uri;

    public HttpSender(Options o)
    {
        _client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Math.Max(1, o.Connections) });
        _uri = new Uri(o.Endpoint.TrimEnd('/') + "/v1/" + o.Signal);
    }

    public async Task<Outcome> SendAsync(byte[] body, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = Protobuf;
        try
        {
            using var response = await _client.PostAsync(_uri, content, cancellationToken).ConfigureAwait(false);
            return response.StatusCode switch
            {
                HttpStatusCode.OK => Outcome.Accepted,
                HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable => Outcome.Refused,
                _ => Outcome.Failed,
            };
        }
        catch (HttpRequestException)
        {
            return Outcome.Failed;
        }
    }

    public void Dispose() => _client.Dispose();
}
