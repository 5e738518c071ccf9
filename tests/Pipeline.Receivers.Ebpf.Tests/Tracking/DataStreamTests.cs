using Pipeline.Receivers.Ebpf.Tracking;
using Xunit;

namespace Pipeline.Receivers.Ebpf.Tests.Tracking;

public class DataStreamTests
{
    [Fact]
    public void Push_InOrder_DeliversEachSegment()
    {
        var stream = new DataStream(Direction.Ingress, 1024);
        var consumer = new Recorder();

        stream.Push(Segment(0, 10), consumer);
        stream.Push(Segment(10, 5, uncaptured: 100), consumer);

        Assert.Equal(["0+10", "10+105"], consumer.Log);
        Assert.Equal(115UL, stream.NextPosition);
    }

    [Fact]
    public void Push_Overlap_TrimsAlreadyDeliveredBytes()
    {
        var stream = new DataStream(Direction.Ingress, 1024);
        var consumer = new Recorder();

        stream.Push(Segment(0, 10), consumer);
        stream.Push(Segment(5, 10), consumer);
        stream.Push(Segment(0, 15), consumer);

        Assert.Equal(["0+10", "10+5"], consumer.Log);
    }

    [Fact]
    public void Push_HoleBeyondBufferLimit_ReportsGapAndDeliversHeld()
    {
        var stream = new DataStream(Direction.Egress, 100);
        var consumer = new Recorder();

        stream.Push(Segment(0, 10), consumer);
        stream.Push(Segment(50, 60), consumer);
        Assert.True(stream.HasHole);
        stream.Push(Segment(110, 60), consumer);

        Assert.Equal(["0+10", "gap", "50+60", "110+60"], consumer.Log);
        Assert.False(stream.HasHole);
    }

    [Fact]
    public void FlushWithGap_SeveralHoles_ReportsEach()
    {
        var stream = new DataStream(Direction.Egress, 1024);
        var consumer = new Recorder();

        stream.Push(Segment(20, 5), consumer);
        stream.Push(Segment(40, 5), consumer);
        stream.FlushWithGap(consumer);

        Assert.Equal(["gap", "20+5", "gap", "40+5"], consumer.Log);
    }

    [Fact]
    public void Push_HeldSegmentBufferReused_DeliversOriginalBytes()
    {
        var stream = new DataStream(Direction.Ingress, 1024);
        var consumer = new Recorder();
        byte[] reused = "late"u8.ToArray();

        stream.Push(new StreamSegment(4, reused, 0, 1, 2, 3), consumer);
        "XXXX"u8.CopyTo(reused); // the receiver reuses a handled event's buffer for the next record
        stream.Push(new StreamSegment(0, "head"u8.ToArray(), 0, 1, 2, 3), consumer);

        Assert.Equal(["0+4 head", "4+4 late"], consumer.Log);
    }

    private static StreamSegment Segment(ulong position, int captured, ulong uncaptured = 0) =>
        new(position, new byte[captured], uncaptured, 1, 2, 3);

    private sealed class Recorder : IStreamConsumer
    {
        public List<string> Log { get; } = [];

        public void OnSegment(Direction direction, in StreamSegment segment) =>
            Log.Add(segment.Captured.Span.ContainsAnyExcept((byte)0)
                ? $"{segment.Position}+{segment.Length} {System.Text.Encoding.ASCII.GetString(segment.Captured.Span)}"
                : $"{segment.Position}+{segment.Length}");

        public void OnGap(Direction direction) => Log.Add("gap");
    }
}
