using Pipeline.Abstractions;
using Pipeline.Config.Tests.Fakes;

namespace Pipeline.Config.Tests;

public sealed class SourceTests
{
    private static FakeReceiverConfig Receiver(CollectorConfig config) => (FakeReceiverConfig)config.Receivers[new ComponentId("fake")].Config;

    [Fact]
    public void Load_TwoFiles_MergesMapsDeepAndReplacesLists()
    {
        var config = Load.Sources([Load.TestData("merge-base.yaml"), "file:" + Load.TestData("merge-override.yaml")]);

        Assert.Equal("base:1", Receiver(config).Endpoint);
        Assert.Equal(5, Receiver(config).Workers);
        Assert.Equal(["z"], Receiver(config).Tags);
        Assert.True(config.Processors.ContainsKey(new ComponentId("batch")));
    }

    [Fact]
    public void Load_TwoFiles_KeepsTheLocationOfTheWinningValue()
    {
        string over = Load.TestData("merge-override.yaml");

        var errors = Load.SourceErrors([Load.TestData("merge-base.yaml"), over], ["receivers.fake.workers=0"]);

        Assert.Equal(["receivers::fake::workers: 0 is out of range: must be between 1 and 64. (--set=receivers.fake.workers=0)"], errors);
    }

    [Fact]
    public void Load_SetFlag_WinsOverFilesAndIsTyped()
    {
        string[] set = ["receivers.fake.workers=9", "receivers.fake.tags=[p, q]", "receivers.fake.protocols={grpc: {max_recv_msg_size_mib: 7}}"];

        var config = Load.Sources([Load.TestData("merge-base.yaml"), Load.TestData("merge-override.yaml")], set);

        Assert.Equal(9, Receiver(config).Workers);
        Assert.Equal(["p", "q"], Receiver(config).Tags);
        Assert.Equal(7, Receiver(config).MaxRecvMsgSizeMib);
        Assert.Equal("base:1", Receiver(config).Endpoint);
    }

    [Fact]
    public void Load_LaterSetFlag_WinsOverEarlierOne()
    {
        var config = Load.Sources([Load.TestData("merge-base.yaml")], ["receivers.fake.workers=9", "receivers.fake.workers=10"]);

        Assert.Equal(10, Receiver(config).Workers);
    }

    [Fact]
    public void Load_SetFlag_IsExpandedLikeFileValues()
    {
        var config = Load.Sources([Load.TestData("merge-base.yaml")], ["receivers.fake.workers=${env:W}"], new() { ["W"] = "11" });

        Assert.Equal(11, Receiver(config).Workers);
    }

    [Fact]
    public void Rejects_SetFlagWithoutEqualSign()
    {
        var errors = Load.SourceErrors([Load.TestData("merge-base.yaml")], ["key:name"]);

        Assert.Equal(["invalid value \"key:name\" for flag -set: missing equal sign."], errors);
    }

    [Fact]
    public void Load_EnvAndYamlSources()
    {
        var env = new Dictionary<string, string> { ["CONFIG"] = File.ReadAllText(Load.TestData("merge-base.yaml")) };

        var config = Load.Sources(["env:CONFIG", "yaml:receivers::fake::workers: 3"], env: env);

        Assert.Equal(3, Receiver(config).Workers);
        Assert.Equal("base:1", Receiver(config).Endpoint);
    }

    [Fact]
    public void Rejects_UnsupportedSourceScheme()
    {
        var errors = Load.SourceErrors(["https://example.com/config.yaml"]);

        Assert.Equal(["scheme \"https\" is not supported for uri \"https://example.com/config.yaml\"."], errors);
    }

    [Fact]
    public void Rejects_NoSources()
    {
        var errors = Load.SourceErrors([]);

        Assert.Equal(["at least one config flag must be provided."], errors);
    }
}
