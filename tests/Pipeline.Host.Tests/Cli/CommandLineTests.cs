using Pipeline.Host.Cli;

namespace Pipeline.Host.Tests.Cli;

public sealed class CommandLineTests
{
    [Fact]
    public void TryParse_NoArguments_RunsWithoutConfig()
    {
        bool ok = CommandLine.TryParse([], out var line, out _);

        Assert.True(ok);
        Assert.Equal(CliCommand.Run, line!.Command);
        Assert.Empty(line.Configs);
    }

    [Fact]
    public void TryParse_RepeatedConfigAndSetInBothForms_KeepsOrder()
    {
        bool ok = CommandLine.TryParse(
            ["--config", "a.yaml", "--config=env:CFG", "--set", "processors.batch.timeout=2s", "--set=exporters.debug.verbosity=detailed", "--feature-gates=-x,+y"],
            out var line,
            out _);

        Assert.True(ok);
        Assert.Equal(["a.yaml", "env:CFG"], line!.Configs);
        Assert.Equal(["processors.batch.timeout=2s", "exporters.debug.verbosity=detailed"], line.Sets);
        Assert.Equal(["-x,+y"], line.FeatureGates);
    }

    [Theory]
    [InlineData("validate", "Validate")]
    [InlineData("components", "Components")]
    [InlineData("--version", "Version")]
    [InlineData("-v", "Version")]
    [InlineData("--help", "Help")]
    public void TryParse_Command_IsRecognised(string arg, string expected)
    {
        bool ok = CommandLine.TryParse([arg], out var line, out _);

        Assert.True(ok);
        Assert.Equal(expected, line!.Command.ToString());
    }

    [Fact]
    public void TryParse_ValidateWithConfigAfterIt_ReadsTheConfig()
    {
        bool ok = CommandLine.TryParse(["validate", "--config=c.yaml"], out var line, out _);

        Assert.True(ok);
        Assert.Equal(CliCommand.Validate, line!.Command);
        Assert.Equal(["c.yaml"], line.Configs);
    }

    [Theory]
    [InlineData(new[] { "--set", "key:name" }, "invalid value \"key:name\" for flag -set: missing equal sign")]
    [InlineData(new[] { "--bogus" }, "unknown flag: --bogus")]
    [InlineData(new[] { "--bogus=1" }, "unknown flag: --bogus")]
    [InlineData(new[] { "--config" }, "flag needs an argument: --config")]
    [InlineData(new[] { "frobnicate" }, "unknown command \"frobnicate\" for \"pipeline\"")]
    public void Rejects_BadArguments(string[] args, string expected)
    {
        bool ok = CommandLine.TryParse(args, out _, out var error);

        Assert.False(ok);
        Assert.Equal(expected, error);
    }
}
