using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using Pipeline.Abstractions;
using Pipeline.Telemetry;
using Xunit;

namespace Pipeline.Receivers.Otlp.Tests;

public sealed class GrpcReceiverTests
{
    private static readonly Metadata Gzip = new() { { "grpc-internal-encoding-request", "gzip" } };

    [Fact]
    public async Task Traces_Export_AcceptedAndPassedOnEncoded()
    {
        await using var h = await ReceiverHarness.StartAsync();
        var client = new TraceService.TraceServiceClient(h.Grpc);
        var request = Payloads.Traces(3);

        var response = await client.ExportAsync(request);

        Assert.Null(response.PartialSuccess);
        var batch = Assert.Single(h.Traces.Batches);
        Assert.True(batch.IsEncodedOnly);
        Assert.Equal(3, batch.ItemCount);
        Assert.Equal(request, batch.Request);
    }

    [Fact]
    public async Task Metrics_Export_Accepted()
    {
        await using var h = await ReceiverHarness.StartAsync();
        var client = new MetricsService.MetricsServiceClient(h.Grpc);

        await client.ExportAsync(Payloads.Metrics(5));

        Assert.Equal(5, h.Metrics.ItemCount);
    }

    [Fact]
    public async Task Logs_Export_Accepted()
    {
        await using var h = await ReceiverHarness.StartAsync();
        var client = new LogsService.LogsServiceClient(h.Grpc);

        await client.ExportAsync(Payloads.Logs(2));

        Assert.Equal(2, h.Logs.ItemCount);
    }

    [Fact]
    public async Task AllSignals_GzipCompressed_Accepted()
    {
        await using var h = await ReceiverHarness.StartAsync();

        await new TraceService.TraceServiceClient(h.Grpc).ExportAsync(Payloads.Traces(2), Gzip);
        await new MetricsService.MetricsServiceClient(h.Grpc).ExportAsync(Payloads.Metrics(3), Gzip);
        await new LogsService.LogsServiceClient(h.Grpc).ExportAsync(Payloads.Logs(4), Gzip);

        Assert.Equal(2, h.Traces.ItemCount);
        Assert.Equal(3, h.Metrics.ItemCount);
        Assert.Equal(4, h.Logs.ItemCount);
    }

    [Fact]
    public async Task Traces_ZstdCompressed_Accepted()
    {
        await using var h = await ReceiverHarness.StartAsync();
        using var channel = GrpcChannel.ForAddress(
            $"http://127.0.0.1:{h.Receiver.GrpcEndPoint!.Port}",
            new GrpcChannelOptions { CompressionProviders = [new Grpc.ZstdCompressionProvider()] });

        await new TraceService.TraceServiceClient(channel).ExportAsync(Payloads.Traces(4), new Metadata { { "grpc-internal-encoding-request", "zstd" } });

        Assert.Equal(4, h.Traces.ItemCount);
    }

    [Fact]
    public async Task Traces_EmptyRequest_OkWithoutCallingConsumer()
    {
        await using var h = await ReceiverHarness.StartAsync();
        h.Traces.Refuse = _ => new InvalidOperationException("must not be called");

        await new TraceService.TraceServiceClient(h.Grpc).ExportAsync(new ExportTraceServiceRequest());

        Assert.Empty(h.Traces.Batches);
    }

    [Fact]
    public async Task Rejects_UnregisteredSignal_Unimplemented()
    {
        await using var h = await ReceiverHarness.StartAsync(signals: [Signal.Traces]);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await new LogsService.LogsServiceClient(h.Grpc).ExportAsync(Payloads.Logs(1)));

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    [Fact]
    public async Task Rejects_MalformedMessage_InvalidArgument()
    {
        await using var h = await ReceiverHarness.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(async () => await RawExport(h.Grpc, [0x0A, 0x7F, 0x01]));
        await new TraceService.TraceServiceClient(h.Grpc).ExportAsync(Payloads.Traces(1));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("proto: cannot parse invalid wire-format data: length 127 runs past the end of the message", error.Status.Detail);
        Assert.Equal(1, h.Traces.ItemCount);
    }

    [Fact]
    public async Task Rejects_MessageOverMaxRecvMsgSize_ResourceExhausted()
    {
        await using var h = await ReceiverHarness.StartAsync(c => c.Grpc!.MaxRecvMsgSizeMiB = 1);
        var big = Payloads.Traces(1);
        big.ResourceSpans[0].ScopeSpans[0].Spans[0].Name = new string('x', (1 << 20) + 10);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await new TraceService.TraceServiceClient(h.Grpc).ExportAsync(big));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Empty(h.Traces.Batches);
    }

    [Fact]
    public async Task Rejects_GzipMessageOverMaxRecvMsgSizeAfterDecompression_ResourceExhausted()
    {
        await using var h = await ReceiverHarness.StartAsync(c => c.Grpc!.MaxRecvMsgSizeMiB = 1);
        var big = Payloads.Traces(1);
        big.ResourceSpans[0].ScopeSpans[0].Spans[0].Name = new string('x', 3 << 20);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await new TraceService.TraceServiceClient(h.Grpc).ExportAsync(big, Gzip));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Empty(h.Traces.Batches);
    }

    public static TheoryData<Exception, StatusCode, string> Refusals => new()
    {
        { new InvalidOperationException("queue is full"), StatusCode.Unavailable, "queue is full" },
        { new PermanentException("bad span"), StatusCode.Internal, "Permanent error: bad span" },
        { new ConsumerException(StatusCode.ResourceExhausted, "slow down"), StatusCode.ResourceExhausted, "slow down" },
        { new ConsumerException(StatusCode.PermissionDenied, "denied"), StatusCode.PermissionDenied, "denied" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Rejects_ConsumerRefusal_SameCodeAsOtelcol(Exception refusal, StatusCode expected, string message)
    {
        await using var h = await ReceiverHarness.StartAsync();
        h.Traces.Refuse = _ => refusal;

        var error = await Assert.ThrowsAsync<RpcException>(async () => await new TraceService.TraceServiceClient(h.Grpc).ExportAsync(Payloads.Traces(1)));

        Assert.Equal(expected, error.StatusCode);
        Assert.Equal(message, error.Status.Detail);
        Assert.Null(error.Trailers.GetValueBytes("grpc-status-details-bin"));
    }

    [Fact]
    public async Task Rejects_ThrottledWithRetryAfter_RetryInfoInStatusDetails()
    {
        await using var h = await ReceiverHarness.StartAsync();
        h.Metrics.Refuse = _ => new ConsumerException(StatusCode.ResourceExhausted, "slow down", TimeSpan.FromSeconds(3));

        var error = await Assert.ThrowsAsync<RpcException>(async () => await new MetricsService.MetricsServiceClient(h.Grpc).ExportAsync(Payloads.Metrics(1)));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        var status = Google.Rpc.Status.Parser.ParseFrom(error.Trailers.GetValueBytes("grpc-status-details-bin"));
        Assert.Equal((int)StatusCode.ResourceExhausted, status.Code);
        Assert.Equal("slow down", status.Message);
        Assert.Equal(TimeSpan.FromSeconds(3), Assert.Single(status.Details).Unpack<Google.Rpc.RetryInfo>().RetryDelay.ToTimeSpan());
    }

    private static Task<byte[]> RawExport(GrpcChannel channel, byte[] body)
    {
        var raw = new Marshaller<byte[]>(b => b, b => b);
        var method = new Method<byte[], byte[]>(MethodType.Unary, "opentelemetry.proto.collector.trace.v1.TraceService", "Export", raw, raw);
        return channel.CreateCallInvoker().AsyncUnaryCall(method, null, default, body).ResponseAsync;
    }
}
