using Google.Protobuf;
using Xunit;

namespace Pipeline.Telemetry.Tests.Model;

public sealed class ClientInfoTests
{
    [Fact]
    public void Empty_HasNoAddressNorMetadata()
    {
        var empty = ClientInfo.Empty;

        Assert.True(empty.IsEmpty);
        Assert.Null(empty.Address);
        Assert.Empty(empty.Metadata);
        Assert.False(empty.TryGetFirst("x-tenant", out string value));
        Assert.Equal(string.Empty, value);
    }

    [Fact]
    public void Constructor_MixedCaseKeys_StoredLowerCasedAndFoundCaseInsensitively()
    {
        var info = new ClientInfo("10.0.0.1", [new("X-Tenant", ["a", "b"]), new("Content-Type", ["application/x-protobuf"])]);

        Assert.Equal("10.0.0.1", info.Address);
        Assert.Equal(["content-type", "x-tenant"], info.Metadata.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["a", "b"], info.GetMetadata("X-TENANT"));
        Assert.True(info.TryGetFirst("x-Tenant", out string first));
        Assert.Equal("a", first);
        Assert.Empty(info.GetMetadata("missing"));
    }

    [Fact]
    public void Constructor_KeysDifferingInCase_ValuesJoinedInOrder()
    {
        var info = new ClientInfo(null, [new("X-Tenant", ["a"]), new("x-tenant", ["b"])]);

        Assert.Equal(["a", "b"], info.GetMetadata("x-tenant"));
    }

    [Fact]
    public void Constructor_KeyWithoutValues_IsLeftOut()
    {
        var info = new ClientInfo(string.Empty, [new("x-empty", [])]);

        Assert.True(info.IsEmpty);
        Assert.Null(info.Address);
    }

    [Fact]
    public void Constructor_CallerChangesItsArray_InfoUnchanged()
    {
        string[] values = ["a"];
        var info = new ClientInfo(null, [new("x-tenant", values)]);

        values[0] = "changed";

        Assert.Equal(["a"], info.GetMetadata("x-tenant"));
    }

    [Fact]
    public void NewBatch_CarriesEmptyClient()
    {
        var batch = Traces.FromRequest(SampleData.Traces());

        Assert.Same(ClientInfo.Empty, batch.Client);
    }

    [Fact]
    public void WithClient_OwnedBatch_ChangedInPlace()
    {
        var batch = Traces.FromEncoded(SampleData.Traces().ToByteArray());
        var info = new ClientInfo("127.0.0.1");

        var result = batch.WithClient(info);

        Assert.Same(batch, result);
        Assert.Same(info, batch.Client);
    }

    [Fact]
    public void WithClient_ReadOnlyBatch_ReturnsReadOnlyViewAndLeavesSharedBatchAlone()
    {
        var batch = Logs.FromEncoded(SampleData.Logs().ToByteArray());
        var before = new ClientInfo("127.0.0.1");
        batch = batch.WithClient(before);
        batch.MarkReadOnly();
        var after = new ClientInfo("10.0.0.2");

        var view = batch.WithClient(after);

        Assert.NotSame(batch, view);
        Assert.Same(before, batch.Client);
        Assert.Same(after, view.Client);
        Assert.True(view.IsReadOnly);
        Assert.Equal(batch.ItemCount, view.ItemCount);
        Assert.Equal(batch.ToByteArray(), view.ToByteArray());
    }

    [Fact]
    public void Clone_KeepsClient()
    {
        var info = new ClientInfo("127.0.0.1", [new("x-tenant", ["a"])]);
        var encoded = Metrics.FromEncoded(SampleData.Metrics().ToByteArray()).WithClient(info);
        var decoded = Metrics.FromRequest(SampleData.Metrics()).WithClient(info);

        Assert.Same(info, encoded.Clone().Client);
        Assert.Same(info, decoded.Clone().Client);
    }

    [Fact]
    public void SplitByItems_EveryPartKeepsClient()
    {
        var info = new ClientInfo("127.0.0.1", [new("x-tenant", ["a"])]);
        var request = SampleData.Traces();
        var batch = Traces.FromRequest(request).WithClient(info);
        Assert.True(batch.ItemCount > 1);

        var parts = batch.SplitByItems(1);

        Assert.Equal(batch.ItemCount, parts.Count);
        Assert.All(parts, p => Assert.Same(info, p.Client));
    }

    [Fact]
    public void Concat_SeveralParts_CarriesNoClient()
    {
        var info = new ClientInfo("127.0.0.1");
        var a = Traces.FromEncoded(SampleData.Traces().ToByteArray()).WithClient(info);
        var b = Traces.FromEncoded(SampleData.Traces().ToByteArray()).WithClient(info);

        var joined = Traces.Concat([a, b]);

        Assert.Same(ClientInfo.Empty, joined.Client);
    }
}
