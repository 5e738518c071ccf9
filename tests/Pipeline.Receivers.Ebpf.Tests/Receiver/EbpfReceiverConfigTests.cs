using Pipeline.Abstractions.Configuration;
using Xunit;
using static Pipeline.Receivers.Ebpf.Tests.Discovery.Nodes;

namespace Pipeline.Receivers.Ebpf.Tests.Receiver;

public sealed class EbpfReceiverConfigTests
{
    [Fact]
    public void Accepts_ObiStyleConfig()
    {
        var (config, errors) = BindAndValidate(Map(
            ("discovery", Map(("instrument", List(Map(("open_ports", S("8080"))))))),
            ("routes", Map(("unmatched", S("path")))),
            ("ebpf", Map(("capture_size", S("1024")), ("ringbuf_size", S("65536")), ("batch_length", S("500")), ("batch_timeout", S("200ms"))))));

        Assert.Empty(errors);
        Assert.Equal(500, config.Ebpf.BatchLength);
        Assert.Equal(1024, config.Ebpf.CaptureSize);
        Assert.Equal(65536, config.Ebpf.RingbufSize);
        Assert.Equal(TimeSpan.FromMilliseconds(200), config.Ebpf.BatchTimeout);
        Assert.Equal("path", config.Routes.Unmatched);
        Assert.Equal("8080", Assert.Single(config.Discovery.Instrument).OpenPorts);
    }

    [Fact]
    public void Rejects_DefaultConfigWithoutInstrumentEntries()
    {
        var (_, errors) = BindAndValidate(Map());

        Assert.Equal(["receivers::ebpf::discovery::instrument: at least one entry is needed (e.g. open_ports: 80,8000-8999); the ebpf receiver never traces every process."], errors);
    }

    [Fact]
    public void Rejects_OutOfRangeTuning()
    {
        var (_, errors) = BindAndValidate(Map(
            ("discovery", Map(("instrument", List(Map(("exe_path", S("*/nginx"))))))),
            ("ebpf", Map(("capture_size", S("9000")), ("ringbuf_size", S("100000")), ("channel_capacity", S("0")), ("batch_length", S("0"))))));

        Assert.Equal(
            [
                "receivers::ebpf::ebpf::capture_size: 9000 must be between 64 and 8192.",
                "receivers::ebpf::ebpf::ringbuf_size: 100000 must be a power of two between 4096 and 1073741824.",
                "receivers::ebpf::ebpf::channel_capacity: 0 must be positive.",
                "receivers::ebpf::ebpf::batch_length: 0 must be at least 1.",
            ],
            errors);
    }

    [Fact]
    public void Accepts_AttachModeRawTracepoint()
    {
        var (config, errors) = BindAndValidate(Map(
            ("discovery", Map(("instrument", List(Map(("open_ports", S("8080"))))))),
            ("ebpf", Map(("attach_mode", S("raw_tracepoint"))))));

        Assert.Empty(errors);
        Assert.Equal("raw_tracepoint", config.Ebpf.AttachMode);
    }

    [Fact]
    public void Bind_NoAttachMode_DefaultsToAuto()
    {
        var (config, _) = BindAndValidate(Map(("discovery", Map(("instrument", List(Map(("open_ports", S("8080")))))))));

        Assert.Equal("auto", config.Ebpf.AttachMode);
        Assert.Equal(100, config.Ebpf.BatchLength);
    }

    [Fact]
    public void Rejects_UnknownAttachMode()
    {
        var (_, errors) = BindAndValidate(Map(
            ("discovery", Map(("instrument", List(Map(("open_ports", S("8080"))))))),
            ("ebpf", Map(("attach_mode", S("kprobe"))))));

        Assert.Equal(["receivers::ebpf::ebpf::attach_mode: unsupported value \"kprobe\": must be one of auto, tracepoint, raw_tracepoint."], errors);
    }

    [Fact]
    public void Rejects_UnknownKeys()
    {
        var (_, errors) = BindAndValidate(Map(
            ("discovery", Map(("instrument", List(Map(("exe_path", S("*/nginx"))))), ("pol_interval", S("1s")))),
            ("ebpf", Map(("ring_size", S("1"))))));

        Assert.Equal(["receivers::ebpf::discovery: has invalid keys: pol_interval.", "receivers::ebpf::ebpf: has invalid keys: ring_size."], errors);
    }

    private static (EbpfReceiverConfig Config, List<string> Errors) BindAndValidate(ConfigMap map)
    {
        var list = new ConfigErrorList();
        var config = (EbpfReceiverConfig)new EbpfReceiverFactory().CreateDefaultConfig();
        config.Bind(Section(map, list, "receivers::ebpf"));
        if (!list.HasErrors)
        {
            config.Validate(new ValidationErrors(list, "receivers::ebpf"));
        }

        return (config, list.Errors.Select(e => e.ToString()).ToList());
    }
}
