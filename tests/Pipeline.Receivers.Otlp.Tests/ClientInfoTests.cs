using System.Net;
using System.Net.Sockets;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using Pipeline.Telemetry;
using Xunit;

namespace Pipeline.Receivers.Otlp.Tests;

public sealed class ClientInfoTests
{
    [Fact]
    public async Task Grpc_IncludeMetadataOff_AddressOnly()
    {
        await using var h = await ReceiverHarness.StartAsync();

        await new TraceService.TraceServiceClient(h.Grpc).ExportAsync(Payloads.Traces(1), new Metadata { { "X-Tenant", "a" } });

        var client = Assert.Single(h.Traces.Batches).Client;
        Assert.Equal("127.0.0.1", client.Address);
        Assert.Empty(client.Metadata);
    }

    [Fact]
    public async Task Grpc_IncludeMetadataOff_SameClientReusedAcrossRequests()
    {
        await using var h = await ReceiverHarness.StartAsync();
        var service = new TraceService.TraceServiceClient(h.Grpc);

        await service.ExportAsync(Payloads.Traces(1));
        await service.ExportAsync(Payloads.Traces(1));

        Assert.Same(h.Traces.Batches[0].Client, h.Traces.Batches[1].Client);
    }

    [Fact]
    public async Task Grpc_IncludeMetadataOn_EveryEntryLowerCasedWithAllValues()
    {
        await using var h = await ReceiverHarness.StartAsync(c => c.Grpc!.IncludeMetadata = true);

        await new TraceService.TraceServiceClient(h.Grpc).ExportAsync(
            Payloads.Traces(1),
            new Metadata { { "X-Tenant", "a" } });

        var client = Assert.Single(h.Traces.Batches).Client;
        Assert.Equal("127.0.0.1", client.Address);
        Assert.Equal(["a"], client.GetMetadata("X-TENANT"));
        Assert.True(client.Metadata.ContainsKey("content-type"));
        Assert.Equal([$"127.0.0.1:{h.Receiver.GrpcEndPoint!.Port}"], client.GetMetadata("host"));
        Assert.All(client.Metadata.Keys, k => Assert.Equal(k.ToLowerInvariant(), k));
    }

    [Fact]
    public async Task Http_IncludeMetadataOff_AddressOnly()
    {
        await using var h = await ReceiverHarness.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/logs") { Content = ReceiverHarness.Protobuf(Payloads.Logs(2)) };
        request.Headers.Add("X-Tenant", "a");

        using var response = await h.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var client = Assert.Single(h.Logs.Batches).Client;
        Assert.Equal("127.0.0.1", client.Address);
        Assert.Empty(client.Metadata);
    }

    [Fact]
    public async Task Http_IncludeMetadataOn_HeadersLowerCasedWithAllValues()
    {
        await using var h = await ReceiverHarness.StartAsync(c => c.Http!.IncludeMetadata = true);
        byte[] body = Payloads.Logs(2).ToByteArray();

        // A raw request: HttpClient would fold the two X-Multi lines into one "1, 2" value.
        using var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, h.Receiver.HttpEndPoint!.Port);
        var stream = socket.GetStream();
        string head = "POST /v1/logs HTTP/1.1\r\nHost: collector\r\nContent-Type: application/x-protobuf\r\n"
            + "X-Tenant: b\r\nX-Multi: 1\r\nx-multi: 2\r\nConnection: close\r\n"
            + $"Content-Length: {body.Length}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(body);
        string response = await new StreamReader(stream, Encoding.ASCII).ReadToEndAsync();

        Assert.StartsWith("HTTP/1.1 200 OK", response, StringComparison.Ordinal);
        var client = Assert.Single(h.Logs.Batches).Client;
        Assert.Equal("127.0.0.1", client.Address);
        Assert.True(client.TryGetFirst("X-TENANT", out string tenant));
        Assert.Equal("b", tenant);
        Assert.Equal(["1", "2"], client.GetMetadata("x-multi"));
        Assert.Equal(["collector"], client.GetMetadata("host"));
        Assert.Equal(["application/x-protobuf"], client.GetMetadata("content-type"));
        Assert.All(client.Metadata.Keys, k => Assert.Equal(k.ToLowerInvariant(), k));
    }

    [Fact]
    public async Task Http_IncludeMetadataOnGrpcOnly_HttpBatchesCarryNoMetadata()
    {
        await using var h = await ReceiverHarness.StartAsync(c => c.Grpc!.IncludeMetadata = true);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/logs") { Content = ReceiverHarness.Protobuf(Payloads.Logs(1)) };
        request.Headers.Add("X-Tenant", "a");

        using var response = await h.Http.SendAsync(request);
        await new LogsService.LogsServiceClient(h.Grpc).ExportAsync(Payloads.Logs(1), new Metadata { { "x-tenant", "a" } });

        Assert.Empty(h.Logs.Batches[0].Client.Metadata);
        Assert.Equal(["a"], h.Logs.Batches[1].Client.GetMetadata("x-tenant"));
    }

    [Fact]
    public void Read_IncludeMetadataOff_RepeatedPeerAllocatesNothing()
    {
        var reader = new ClientInfoReader(includeMetadata: false);
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("10.0.0.1");
        context.Request.Headers["X-Tenant"] = "a";
        var first = reader.Read(context);
        reader.Read(context);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var again = reader.Read(context);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Same(first, again);
        Assert.Equal(0, allocated);
        Assert.Empty(again.Metadata);
    }

    [Fact]
    public void Read_IncludeMetadataOn_EachRequestItsOwnHeaders()
    {
        var reader = new ClientInfoReader(includeMetadata: true);
        var a = new DefaultHttpContext();
        a.Connection.RemoteIpAddress = IPAddress.Parse("10.0.0.1");
        a.Request.Headers["X-Tenant"] = "a";
        var b = new DefaultHttpContext();
        b.Connection.RemoteIpAddress = IPAddress.Parse("10.0.0.1");
        b.Request.Headers["X-Tenant"] = "b";

        var first = reader.Read(a);
        var second = reader.Read(b);

        Assert.Equal(["a"], first.GetMetadata("x-tenant"));
        Assert.Equal(["b"], second.GetMetadata("x-tenant"));
    }

    [Fact]
    public void Read_NoPeerAddress_EmptyClient()
    {
        var reader = new ClientInfoReader(includeMetadata: false);

        var info = reader.Read(new DefaultHttpContext());

        Assert.Same(ClientInfo.Empty, info);
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("::ffff:10.1.2.3", "10.1.2.3")]
    [InlineData("::1", "::1")]
    [InlineData("fe80::1%2", "fe80::1")]
    public void FormatAddress_AsGoPrintsIt(string address, string expected)
    {
        var formatted = ClientInfoReader.FormatAddress(IPAddress.Parse(address));

        Assert.Equal(expected, formatted);
    }
}
