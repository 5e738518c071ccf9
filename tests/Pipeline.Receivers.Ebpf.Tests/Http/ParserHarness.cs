using System.Text;
using Pipeline.Receivers.Ebpf.Http;
using Pipeline.Receivers.Ebpf.Tests.Tracking;
using Pipeline.Receivers.Ebpf.Tracking;

namespace Pipeline.Receivers.Ebpf.Tests.Http;

/// <summary>One connection with an HTTP/1.x parser and a recording sink, fed by an <see cref="EventScript"/>.</summary>
internal sealed class ParserHarness
{
    public ParserHarness(ConnectionRole role = ConnectionRole.Server, ConnectionRole eventRole = ConnectionRole.Unknown)
    {
        Script = new EventScript(Clock, 100, 5, 1, eventRole == ConnectionRole.Unknown ? role : eventRole);
        Connection = new Connection(Script.Key, 64 * 1024) { Role = role };
        Parser = new Http1Parser(Connection, Sink, Stats);
        Connection.Parser = Parser;
    }

    public Clock Clock { get; } = new();

    public EventScript Script { get; }

    public Connection Connection { get; }

    public Http1Parser Parser { get; }

    public RecordingSink Sink { get; } = new();

    public TrafficStats Stats { get; } = new();

    public long ParseErrors => Stats.ParseErrors.GetValueOrDefault(Http1Parser.ProtocolName);

    public void Feed(SocketEvent e)
    {
        var payload = e.Payload;
        Connection.Push(new StreamSegment(e.StreamPosition, payload, e.TotalLength - (ulong)payload.Length, e.TimestampNs, e.ExitTimestampNs, e.Tid), e.Direction);
    }

    public SocketEvent Read(string text) => Fed(Script.Read(text));

    public SocketEvent Write(string text) => Fed(Script.Write(text));

    /// <summary>Feeds <paramref name="text"/> in one direction as reads/writes split at the given offsets.</summary>
    public List<SocketEvent> Send(Direction direction, string text, params int[] splits)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        var events = new List<SocketEvent>();
        int start = 0;
        foreach (int split in splits.Append(bytes.Length))
        {
            if (split > start)
            {
                events.Add(Fed(Script.Data(direction, bytes[start..split])));
                start = split;
            }
        }

        return events;
    }

    public void Close() => Connection.Close();

    public void FlushHoles() => Connection.FlushHoles();

    private SocketEvent Fed(SocketEvent e)
    {
        Feed(e);
        return e;
    }
}
