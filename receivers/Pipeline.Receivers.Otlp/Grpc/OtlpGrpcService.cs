using Grpc.Core;
using Pipeline.Abstractions;
using Pipeline.Telemetry;
using Pipeline.Telemetry.Otlp;

namespace Pipeline.Receivers.Otlp.Grpc;

/// <summary>The three OTLP <c>Export</c> methods over gRPC. Requests arrive as the raw message bytes (already
/// decompressed and size-checked by Grpc.AspNetCore) and go downstream still encoded.</summary>
internal sealed class OtlpGrpcService
{
    private static readonly byte[] EmptyResponse = [];
    private readonly OtlpReceiver _receiver;
    private readonly ReceiverObsReport _obs;
    private readonly ClientInfoReader _clients;

    public OtlpGrpcService(OtlpReceiver receiver, ReceiverObsReport obs, ClientInfoReader clients)
    {
        _receiver = receiver;
        _obs = obs;
        _clients = clients;
    }

    /// <summary>Handles one export of <paramref name="signal"/>.</summary>
    public async Task<byte[]> ExportAsync(Signal signal, byte[] body, ServerCallContext context)
    {
        TelemetryData data;
        try
        {
            data = signal switch
            {
                Signal.Traces => Traces.FromEncoded(body),
                Signal.Metrics => Metrics.FromEncoded(body),
                _ => Logs.FromEncoded(body),
            };
        }
        catch (OtlpDecodeException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, e.Message));
        }

        if (data.ItemCount == 0)
        {
            return EmptyResponse;
        }

        data = data.WithClient(_clients.Read(context.GetHttpContext()));
        var error = await _receiver.ExportAsync(data, _obs, context.CancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            throw error.ToRpcException();
        }

        return EmptyResponse;
    }
}
