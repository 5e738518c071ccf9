using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Pipeline.Receivers.Ebpf.Events;
using Pipeline.Receivers.Ebpf.Tests.Kernel;
using Xunit;

namespace Pipeline.Receivers.Ebpf.Tests.Events;

/// <summary>The C# mirrors must match the C structs exactly: sizes and every field offset are read from the BTF of
/// bpf/layout/layout_check.o (built with the receiver) with bpftool, never written down by hand.</summary>
public sealed class StructLayoutTests
{
    public static TheoryData<string, Type> Structs => new()
    {
        { "pl_event_header", typeof(EventHeader) },
        { "pl_data_event", typeof(DataEvent) },
        { "pl_conn_event", typeof(ConnEvent) },
        { "pl_proc_event", typeof(ProcEvent) },
        { "pl_config", typeof(BpfConfig) },
    };

    [SkippableTheory]
    [MemberData(nameof(Structs))]
    public void Mirror_MatchesBtfLayout(string cName, Type mirror)
    {
        var btf = LoadBtfStructs();

        var (size, members) = btf[cName];

        Assert.Equal(size, Marshal.SizeOf(mirror));
        var fields = mirror.GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public);
        Assert.Equal(members.Select(m => m.Name), fields.Select(f => f.Name));
        foreach (var (name, offset) in members)
        {
            Assert.True(offset == (int)Marshal.OffsetOf(mirror, name), $"{cName}.{name}: C offset {offset}, C# offset {Marshal.OffsetOf(mirror, name)}");
        }
    }

    private static Dictionary<string, (int Size, List<(string Name, int Offset)> Members)> LoadBtfStructs()
    {
        string obj = Path.Combine(AppContext.BaseDirectory, "bpf", "layout_check.o");
        Assert.True(File.Exists(obj), obj + " is built with the receiver.");
        string bpftool = BpfRequirement.RequireProgram("bpftool");
        var start = new ProcessStartInfo(bpftool, ["-j", "btf", "dump", "file", obj, "format", "raw"]) { RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        string json = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);

        var result = new Dictionary<string, (int, List<(string, int)>)>(StringComparer.Ordinal);
        using var doc = JsonDocument.Parse(json);
        foreach (var type in doc.RootElement.GetProperty("types").EnumerateArray())
        {
            if (type.GetProperty("kind").GetString() != "STRUCT" || !type.TryGetProperty("name", out var name))
            {
                continue;
            }

            var members = new List<(string, int)>();
            foreach (var member in type.GetProperty("members").EnumerateArray())
            {
                int bits = member.GetProperty("bits_offset").GetInt32();
                Assert.True(bits % 8 == 0, "bit fields are not allowed in shared structs");
                members.Add((member.GetProperty("name").GetString()!, bits / 8));
            }

            result[name.GetString()!] = (type.GetProperty("size").GetInt32(), members);
        }

        return result;
    }
}
