using Microsoft.Extensions.Logging;
using Pipeline.Abstractions;
using Pipeline.Config.Tests.Fakes;

namespace Pipeline.Config.Tests;

public sealed class ExpansionTests
{
    private static FakeReceiverConfig Receiver(CollectorConfig config) => (FakeReceiverConfig)config.Receivers[new ComponentId("fake")].Config;

    private static string WithReceiver(string body) => Load.MinimalPipeline.Replace("  fake:\n", "  fake:\n" + body, StringComparison.Ordinal);

    [Fact]
    public void Expand_WholeValueReference_IsTypedAsYaml()
    {
        var config = Load.Yaml(WithReceiver("    workers: ${env:WORKERS}\n    timeout: ${TIMEOUT}\n"), new() { ["WORKERS"] = "12", ["TIMEOUT"] = "3s" });

        Assert.Equal(12, Receiver(config).Workers);
        Assert.Equal(TimeSpan.FromSeconds(3), Receiver(config).Timeout);
    }

    [Fact]
    public void Expand_QuotedWholeValueReference_IsStillTyped()
    {
        var config = Load.Yaml(WithReceiver("    workers: \"${env:WORKERS}\"\n"), new() { ["WORKERS"] = "12" });

        Assert.Equal(12, Receiver(config).Workers);
    }

    [Fact]
    public void Expand_WholeValueReference_CanBeAMap()
    {
        var env = new Dictionary<string, string> { ["PROTOCOLS"] = "grpc:\n  max_recv_msg_size_mib: 32\nhttp:\n  read_timeout: 1s\n" };

        var config = Load.Yaml(WithReceiver("    protocols: ${env:PROTOCOLS}\n"), env);

        Assert.Equal(32, Receiver(config).MaxRecvMsgSizeMib);
        Assert.Equal(TimeSpan.FromSeconds(1), Receiver(config).HttpReadTimeout);
    }

    [Fact]
    public void Expand_WholeValueReference_CanBeAList()
    {
        var config = Load.Yaml(WithReceiver("    tags: ${env:TAGS}\n"), new() { ["TAGS"] = "[x, y]" });

        Assert.Equal(["x", "y"], Receiver(config).Tags);
    }

    [Fact]
    public void Expand_StringField_TakesTheVariableAsWritten()
    {
        var config = Load.Yaml(WithReceiver("    endpoint: ${env:ENDPOINT}\n"), new() { ["ENDPOINT"] = "a: b" });

        Assert.Equal("a: b", Receiver(config).Endpoint);
    }

    [Fact]
    public void Expand_EmbeddedReference_GivesAString()
    {
        var config = Load.Yaml(WithReceiver("    endpoint: ${env:HOST}:${env:PORT}\n"), new() { ["HOST"] = "0.0.0.0", ["PORT"] = "4317" });

        Assert.Equal("0.0.0.0:4317", Receiver(config).Endpoint);
    }

    [Fact]
    public void Rejects_EmbeddedReference_ForAnIntField()
    {
        var errors = Load.Errors(WithReceiver("    workers: 1${env:DIGIT}\n"), new() { ["DIGIT"] = "2" });

        Assert.Equal(["receivers::fake::workers: expected an integer, got the string \"12\". (test.yaml:3:14)"], errors);
    }

    [Fact]
    public void Expand_Default_UsedOnlyWhenUnset()
    {
        var unset = Load.Yaml(WithReceiver("    endpoint: ${env:ENDPOINT:-fallback:1}\n"));
        var empty = Load.Yaml(WithReceiver("    endpoint: x${env:ENDPOINT:-fallback:1}x\n"), new() { ["ENDPOINT"] = string.Empty });
        var set = Load.Yaml(WithReceiver("    endpoint: ${env:ENDPOINT:-fallback:1}\n"), new() { ["ENDPOINT"] = "real:2" });

        Assert.Equal("fallback:1", Receiver(unset).Endpoint);
        Assert.Equal("xx", Receiver(empty).Endpoint);
        Assert.Equal("real:2", Receiver(set).Endpoint);
    }

    [Fact]
    public void Expand_EmptyButSetWholeValue_IsNullSoTheDefaultStays()
    {
        var config = Load.Yaml(WithReceiver("    workers: ${env:WORKERS:-9}\n"), new() { ["WORKERS"] = string.Empty });

        Assert.Equal(4, Receiver(config).Workers);
    }

    [Fact]
    public void Expand_UnsetVariable_WarnsAndGivesNull()
    {
        var logger = new ListLogger();

        var config = Load.Yaml(WithReceiver("    workers: ${env:NOPE}\n    endpoint: a${env:NOPE}b\n"), logger: logger);

        Assert.Equal(4, Receiver(config).Workers);
        Assert.Equal("ab", Receiver(config).Endpoint);
        Assert.Equal(2, logger.Entries.Count);
        Assert.All(logger.Entries, e => Assert.Equal((LogLevel.Warning, "Configuration references unset environment variable \"NOPE\"."), e));
    }

    [Fact]
    public void Expand_DoubleDollar_IsALiteralDollar()
    {
        var config = Load.Yaml(WithReceiver("    endpoint: $${env:HOST} costs $$5\n"), new() { ["HOST"] = "h" });

        Assert.Equal("${env:HOST} costs $5", Receiver(config).Endpoint);
    }

    [Fact]
    public void Expand_BareDollarVariable_IsLeftAlone()
    {
        var config = Load.Yaml(WithReceiver("    endpoint: $HOST:$PORT\n"), new() { ["HOST"] = "h", ["PORT"] = "1" });

        Assert.Equal("$HOST:$PORT", Receiver(config).Endpoint);
    }

    [Fact]
    public void Expand_Keys_AreNotExpanded()
    {
        var errors = Load.Errors(WithReceiver("    ${env:KEY}: 1\n"), new() { ["KEY"] = "workers" });

        Assert.Equal(["receivers::fake: has invalid keys: ${env:KEY}. (test.yaml:3:5)"], errors);
    }

    [Fact]
    public void Rejects_InvalidVariableName()
    {
        var errors = Load.Errors(WithReceiver("    endpoint: ${env:1BAD}\n"));

        Assert.Equal(["receivers::fake::endpoint: environment variable \"1BAD\" has invalid name: must match regex ^[a-zA-Z_][a-zA-Z0-9_]*$. (test.yaml:3:15)"], errors);
    }

    [Fact]
    public void Rejects_UnboundedRecursion()
    {
        var errors = Load.Errors(WithReceiver("    endpoint: ${env:LOOP}\n"), new() { ["LOOP"] = "${env:LOOP}" });

        Assert.Equal(["receivers::fake::endpoint: too many recursive expansions. (test.yaml:3:15)"], errors);
    }

    [Fact]
    public void Expand_NestedReference_ExpandsInnerFirst()
    {
        var config = Load.Yaml(WithReceiver("    endpoint: ${env:${env:WHICH}}\n"), new() { ["WHICH"] = "B", ["B"] = "b:1" });

        Assert.Equal("b:1", Receiver(config).Endpoint);
    }

    [Fact]
    public void Expand_VariableHoldingAReference_IsExpandedAgain()
    {
        var config = Load.Yaml(WithReceiver("    workers: ${env:A}\n"), new() { ["A"] = "${env:B}", ["B"] = "7" });

        Assert.Equal(7, Receiver(config).Workers);
    }

    [Fact]
    public void Expand_FileAndYamlProviders()
    {
        string file = Path.Combine(Path.GetTempPath(), $"pipeline-config-{Guid.NewGuid():N}.txt");
        File.WriteAllText(file, "from-file:9\n");
        try
        {
            var config = Load.Yaml(WithReceiver($"    endpoint: ${{file:{file}}}\n    protocols: '${{yaml:grpc::max_recv_msg_size_mib: 64}}'\n"));

            Assert.Equal("from-file:9", Receiver(config).Endpoint);
            Assert.Equal(64, Receiver(config).MaxRecvMsgSizeMib);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Rejects_UnsupportedScheme()
    {
        var errors = Load.Errors(WithReceiver("    endpoint: ${http://example/x}\n"));

        Assert.Equal(["receivers::fake::endpoint: scheme \"http\" is not supported for uri \"http://example/x\". (test.yaml:3:15)"], errors);
    }

    [Fact]
    public void Expand_EscapedReferenceBeforeARealOne_ExpandsTheRealOne()
    {
        var config = Load.Yaml(WithReceiver("    endpoint: $${env:A}-${env:B}\n"), new() { ["A"] = "a", ["B"] = "b" });

        Assert.Equal("${env:A}-b", Receiver(config).Endpoint);
    }

    [Fact]
    public void Expand_UnsetDuration_KeepsTheDefault()
    {
        var config = Load.Yaml(WithReceiver("    timeout: ${env:T}\n    endpoint:\n"));

        Assert.Equal(TimeSpan.FromSeconds(5), Receiver(config).Timeout);
        Assert.Equal("localhost:4317", Receiver(config).Endpoint);
    }
}
