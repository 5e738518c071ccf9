using Pipeline.Receivers.Ebpf.Tracking;

namespace Pipeline.Receivers.Ebpf.Http;

/// <summary>Incremental HTTP/1.x parsing of one connection: a state machine per direction that survives any split of
/// the bytes across reads, keep-alive and pipelining (requests and responses paired FIFO), chunked and Content-Length
/// bodies, bodies larger than the capture (uncaptured bytes are counted through, never parsed), 1xx responses, the
/// HEAD/204/304 no-body rules, gaps and mid-stream attach (resync at the next segment that starts a message).</summary>
internal sealed class Http1Parser : IProtocolParser
{
    /// <summary>The protocol name in counters.</summary>
    public const string ProtocolName = "http1";

    /// <summary>A request or response head (start line and header fields) larger than this is a parse error.</summary>
    internal const int MaxHeadBytes = 8 * 1024;

    private const int MaxChunkLineBytes = 1024;
    private static readonly byte[] LastChunk = "0\r\n\r\n"u8.ToArray();

    private readonly Connection _connection;
    private readonly IExchangeSink _sink;
    private readonly TrafficStats _stats;
    private readonly Reader _ingress = new(Direction.Ingress);
    private readonly Reader _egress = new(Direction.Egress);
    private readonly List<HttpRequest> _pending = new(2);
    private bool _responseGap;
    private bool _upgraded;

    public Http1Parser(Connection connection, IExchangeSink sink, TrafficStats stats)
    {
        _connection = connection;
        _sink = sink;
        _stats = stats;
    }

    private enum State
    {
        Hunting,
        Head,
        FixedBody,
        ChunkSize,
        ChunkData,
        ChunkDataEnd,
        Trailers,
        UntilClose,
        LostFraming,
    }

    /// <inheritdoc />
    public string Protocol => ProtocolName;

    /// <summary>Requests waiting for their response (tests).</summary>
    internal int PendingRequests => _pending.Count;

    /// <inheritdoc />
    public void OnSegment(Direction direction, in StreamSegment segment)
    {
        if (_upgraded)
        {
            return;
        }

        var r = direction == Direction.Ingress ? _ingress : _egress;
        var span = segment.Captured.Span;
        if (r.State is State.Hunting or State.LostFraming)
        {
            if (!TryStartAtBoundary(r, span))
            {
                if (r.State == State.LostFraming)
                {
                    r.Response!.LastExitNs = segment.ExitNs;
                    if (segment.Uncaptured == 0 && span.EndsWith(LastChunk))
                    {
                        CompleteResponse(r, segment.ExitNs);
                    }
                }

                return;
            }
        }

        int i = 0;
        while (i < span.Length && !_upgraded)
        {
            switch (r.State)
            {
                case State.Head:
                    i = ConsumeHead(r, span, i, segment);
                    break;
                case State.FixedBody:
                case State.ChunkData:
                    int take = (int)Math.Min(r.Remaining, (ulong)(span.Length - i));
                    i += take;
                    r.Remaining -= (ulong)take;
                    if (r.Remaining == 0)
                    {
                        if (r.State == State.FixedBody)
                        {
                            CompleteMessage(r, segment.ExitNs);
                        }
                        else
                        {
                            r.State = State.ChunkDataEnd;
                        }
                    }

                    break;
                case State.ChunkSize:
                    ConsumeChunkSize(r, span[i++]);
                    break;
                case State.ChunkDataEnd:
                    byte b = span[i++];
                    if (b == (byte)'\n')
                    {
                        r.ResetChunkLine();
                        r.State = State.ChunkSize;
                    }
                    else if (b != (byte)'\r')
                    {
                        ParseError(r, segment.ExitNs);
                    }

                    break;
                case State.Trailers:
                    ConsumeTrailer(r, span[i++], segment.ExitNs);
                    break;
                case State.UntilClose:
                case State.LostFraming:
                    r.Response!.LastExitNs = segment.ExitNs;
                    i = span.Length;
                    break;
                default:
                    i = span.Length; // hunting after an error inside this segment: resync at the next one
                    break;
            }
        }

        if (segment.Uncaptured > 0 && !_upgraded)
        {
            SkipUncaptured(r, segment);
        }
    }

    /// <inheritdoc />
    public void OnGap(Direction direction)
    {
        _stats.Gaps++;
        var r = direction == Direction.Ingress ? _ingress : _egress;
        if (_connection.Role == ConnectionRole.Unknown)
        {
            return; // still hunting for the first message: nothing to lose
        }

        if (r.IsResponse(_connection.Role) && r.Response is not null && r.ResponseFor is not null)
        {
            r.State = State.LostFraming; // the head is known; only the end is: it comes with the next message or close
            return;
        }

        LoseMessage(r);
    }

    /// <inheritdoc />
    public void OnClose()
    {
        foreach (var r in (ReadOnlySpan<Reader>)[_ingress, _egress])
        {
            if (r.State is State.UntilClose or State.LostFraming && r.Response is not null)
            {
                CompleteResponse(r, r.Response.LastExitNs);
            }
        }

        foreach (var request in _pending)
        {
            if (!request.IsGapMarker)
            {
                _stats.RequestsWithoutResponse++;
                _sink.OnExchangeCompleted(_connection, request, null);
            }
        }

        _pending.Clear();
    }

    private bool TryStartAtBoundary(Reader r, ReadOnlySpan<byte> span)
    {
        var kind = HttpStart.Classify(span);
        var role = _connection.Role;
        bool requestDirection = role == ConnectionRole.Server ? r.Direction == Direction.Ingress : r.Direction == Direction.Egress;
        if (role != ConnectionRole.Unknown && kind == HttpStartKind.Ambiguous)
        {
            kind = requestDirection ? HttpStartKind.Request : HttpStartKind.Response;
        }

        if (kind is HttpStartKind.None or HttpStartKind.Ambiguous)
        {
            return false;
        }

        if (role == ConnectionRole.Unknown)
        {
            // A request read, or a response written, means we serve this connection (Pixie's XOR rule).
            bool server = (kind == HttpStartKind.Request) == (r.Direction == Direction.Ingress);
            _connection.Role = server ? ConnectionRole.Server : ConnectionRole.Client;
        }
        else if ((kind == HttpStartKind.Request) != requestDirection)
        {
            return false;
        }

        if (r.State == State.LostFraming)
        {
            CompleteResponse(r, r.Response!.LastExitNs); // the previous response ended before this one began
        }

        r.ResetHead();
        r.State = State.Head;
        return true;
    }

    private int ConsumeHead(Reader r, ReadOnlySpan<byte> span, int i, in StreamSegment segment)
    {
        while (i < span.Length)
        {
            if (!r.MessageStarted)
            {
                if (span[i] is (byte)'\r' or (byte)'\n')
                {
                    i++;
                    continue; // RFC 9112 §2.2: empty lines before a request line are ignored
                }

                r.MessageStarted = true;
                r.MessageEntryNs = segment.EntryNs;
                r.MessageExitNs = segment.ExitNs;
                r.MessageTid = segment.Tid;
                if (r.HeadLength == 0 && TryWholeHead(span[i..], out int headLength))
                {
                    OnHead(r, span.Slice(i, headLength), segment);
                    return i + headLength;
                }
            }

            // A line (or the rest of the segment) at a time: the head is copied and searched in bulk.
            var rest = span[i..];
            int newline = rest.IndexOf((byte)'\n');
            var line = newline < 0 ? rest : rest[..newline];
            int take = newline < 0 ? rest.Length : newline + 1;
            if (r.HeadLength + take > MaxHeadBytes)
            {
                ParseError(r, segment.ExitNs);
                return span.Length;
            }

            r.Append(rest[..take]);
            i += take;
            r.LineLength += line.Length - line.Count((byte)'\r');
            if (newline < 0)
            {
                break;
            }

            if (r.LineLength == 0)
            {
                OnHead(r, r.HeadSpan, segment);
                return i;
            }

            r.LineLength = 0;
        }

        return i;
    }

    /// <summary>The common case, a whole head at the start of a segment, found without the line-at-a-time loop's
    /// copies: true when <paramref name="rest"/> (which starts a message: not with CR or LF) holds lines up to an empty
    /// one within <see cref="MaxHeadBytes"/>. An empty line is one of CRs only, as in the loop, so both find the same end.</summary>
    private static bool TryWholeHead(ReadOnlySpan<byte> rest, out int length)
    {
        length = 0;
        int at = 0;
        while (true)
        {
            int newline = rest[at..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                return false;
            }

            at += newline + 1;
            int next = at;
            while (next < rest.Length && rest[next] == (byte)'\r')
            {
                next++;
            }

            if (next == rest.Length)
            {
                return false;
            }

            if (rest[next] == (byte)'\n')
            {
                length = next + 1;
                return length <= MaxHeadBytes;
            }

            if (at > MaxHeadBytes)
            {
                return false;
            }
        }
    }

    /// <param name="r">The direction.</param>
    /// <param name="head">The whole head up to and including the empty line (the reader's buffer, or the segment).</param>
    /// <param name="segment">The segment that completed it.</param>
    private void OnHead(Reader r, ReadOnlySpan<byte> head, in StreamSegment segment)
    {
        if (!r.IsResponse(_connection.Role))
        {
            var request = HttpHeadParser.ParseRequest(head, out var framing);
            if (request is null)
            {
                ParseError(r, segment.ExitNs);
                return;
            }

            request.FirstEntryNs = r.MessageEntryNs;
            request.FirstExitNs = r.MessageExitNs;
            request.FirstTid = r.MessageTid;
            request.HeadTid = segment.Tid;
            var responses = r == _ingress ? _egress : _ingress;
            if (responses.State == State.LostFraming && responses.Response is not null)
            {
                CompleteResponse(responses, responses.Response.LastExitNs); // a new request: the old response is over
            }

            _pending.Add(request);
            _sink.OnRequestStarted(_connection, request);
            r.ResetHead();
            if (framing.Chunked)
            {
                r.ResetChunkLine();
                r.State = State.ChunkSize;
            }
            else if (framing.ContentLength > 0)
            {
                r.Remaining = (ulong)framing.ContentLength;
                r.State = State.FixedBody;
            }
            else
            {
                CompleteMessage(r, segment.ExitNs);
            }

            return;
        }

        if (!HttpHeadParser.ParseResponse(head, out int status, out string version, out var responseFraming))
        {
            ParseError(r, segment.ExitNs);
            return;
        }

        if (r.Response is null)
        {
            r.Response = new HttpResponse { FirstEntryNs = r.MessageEntryNs, FirstExitNs = r.MessageExitNs };
            r.ResponseFor = Pair(r.Response);
        }

        r.ResetHead();
        if (status is >= 100 and < 200 && status != 101)
        {
            r.MessageStarted = true; // 100 Continue and friends: the final response follows, same timing
            return;
        }

        r.Response.StatusCode = status;
        r.Response.Version = version;
        string? method = r.ResponseFor?.Method;
        if (status == 101 || (method == "CONNECT" && status is >= 200 and < 300))
        {
            CompleteResponse(r, segment.ExitNs);
            _upgraded = true; // the bytes that follow are another protocol (WebSocket, a tunnel)
            return;
        }

        if (method == "HEAD" || status is 204 or 304)
        {
            CompleteResponse(r, segment.ExitNs);
        }
        else if (responseFraming.Chunked)
        {
            r.ResetChunkLine();
            r.State = State.ChunkSize;
        }
        else if (responseFraming.ContentLength >= 0 && !responseFraming.OtherTransferCoding)
        {
            if (responseFraming.ContentLength == 0)
            {
                CompleteResponse(r, segment.ExitNs);
            }
            else
            {
                r.Remaining = (ulong)responseFraming.ContentLength;
                r.State = State.FixedBody;
            }
        }
        else
        {
            r.Response.LastExitNs = segment.ExitNs;
            r.State = State.UntilClose; // RFC 9112 §6.3: no length, so the body ends when the connection does
        }
    }

    private HttpRequest? Pair(HttpResponse response)
    {
        if (_responseGap)
        {
            // Responses were lost: this one answers the latest request that began before it; earlier ones lost theirs.
            _responseGap = false;
            int pick = -1;
            for (int i = 0; i < _pending.Count; i++)
            {
                if (!_pending[i].IsGapMarker && _pending[i].FirstEntryNs <= response.FirstExitNs)
                {
                    pick = i;
                }
            }

            if (pick < 0)
            {
                _stats.UnpairedResponses++;
                return null;
            }

            for (int i = 0; i < pick; i++)
            {
                if (!_pending[i].IsGapMarker)
                {
                    _stats.RequestsWithoutResponse++;
                    _sink.OnRequestDropped(_connection, _pending[i]);
                }
            }

            var picked = _pending[pick];
            _pending.RemoveRange(0, pick + 1);
            return picked;
        }

        while (_pending.Count > 0)
        {
            var front = _pending[0];
            if (!front.IsGapMarker)
            {
                _pending.RemoveAt(0);
                return front;
            }

            // Requests were lost before the next one we saw: a response that was done before that request began
            // answers one of the lost requests.
            int next = 1;
            while (next < _pending.Count && _pending[next].IsGapMarker)
            {
                next++;
            }

            if (next == _pending.Count || response.FirstExitNs < _pending[next].FirstEntryNs)
            {
                break;
            }

            _pending.RemoveRange(0, next);
        }

        _stats.UnpairedResponses++;
        return null;
    }

    private void ConsumeChunkSize(Reader r, byte b)
    {
        if (++r.ChunkLineLength > MaxChunkLineBytes)
        {
            ParseError(r, 0);
            return;
        }

        if (b == (byte)'\n')
        {
            if (r.ChunkDigits == 0)
            {
                ParseError(r, 0);
            }
            else if (r.ChunkSize == 0)
            {
                r.LineLength = 0;
                r.TrailerBytes = 0;
                r.State = State.Trailers;
            }
            else
            {
                r.Remaining = r.ChunkSize;
                r.State = State.ChunkData;
            }
        }
        else if (b == (byte)'\r' || r.InChunkExtension)
        {
            // the CR of the line end, or a chunk extension we skip
        }
        else if (char.IsAsciiHexDigit((char)b) && r.ChunkDigits < 15)
        {
            r.ChunkSize = (r.ChunkSize << 4) + (uint)HexValue(b);
            r.ChunkDigits++;
        }
        else if (r.ChunkDigits > 0 && b is (byte)';' or (byte)' ' or (byte)'\t')
        {
            r.InChunkExtension = true;
        }
        else
        {
            ParseError(r, 0);
        }
    }

    private void ConsumeTrailer(Reader r, byte b, ulong exitNs)
    {
        if (b == (byte)'\n')
        {
            if (r.LineLength == 0)
            {
                CompleteMessage(r, exitNs);
                return;
            }

            r.LineLength = 0;
        }
        else if (b != (byte)'\r')
        {
            r.LineLength++;
            if (++r.TrailerBytes > MaxHeadBytes)
            {
                ParseError(r, exitNs);
            }
        }
    }

    private void SkipUncaptured(Reader r, in StreamSegment segment)
    {
        ulong skip = segment.Uncaptured;
        switch (r.State)
        {
            case State.FixedBody:
            case State.ChunkData:
                ulong take = Math.Min(skip, r.Remaining);
                r.Remaining -= take;
                skip -= take;
                if (r.Remaining == 0)
                {
                    if (r.State == State.FixedBody)
                    {
                        CompleteMessage(r, segment.ExitNs);
                    }
                    else
                    {
                        r.State = State.ChunkDataEnd;
                    }
                }

                if (skip > 0)
                {
                    LoseFraming(r, segment.ExitNs);
                }

                break;
            case State.UntilClose:
            case State.LostFraming:
                r.Response!.LastExitNs = segment.ExitNs;
                break;
            case State.Hunting:
                break;
            default:
                LoseFraming(r, segment.ExitNs);
                break;
        }
    }

    /// <summary>Bytes we could not see hold framing (a head, a chunk-size line): resync at the next message start.</summary>
    private void LoseFraming(Reader r, ulong exitNs)
    {
        _stats.Resyncs++;
        if (r.IsResponse(_connection.Role) && r.Response is not null && r.ResponseFor is not null)
        {
            r.Response.LastExitNs = exitNs;
            r.State = State.LostFraming;
            return;
        }

        LoseMessage(r);
    }

    private void ParseError(Reader r, ulong exitNs)
    {
        _stats.CountParseError(ProtocolName);
        if (r.IsResponse(_connection.Role) && r.Response is not null && r.ResponseFor is not null && r.State != State.Head)
        {
            r.Response.LastExitNs = Math.Max(r.Response.LastExitNs, exitNs);
            r.State = State.LostFraming; // a bad chunk line: the status is known, the end comes with the next message
            return;
        }

        LoseMessage(r);
    }

    /// <summary>Drops the message in progress and hunts for the next start; pairing is told what may be missing.</summary>
    private void LoseMessage(Reader r)
    {
        if (r.IsResponse(_connection.Role))
        {
            if (r.Response is not null && r.ResponseFor is not null)
            {
                _stats.RequestsWithoutResponse++;
                _sink.OnRequestDropped(_connection, r.ResponseFor);
            }

            _responseGap = true;
            r.Response = null;
            r.ResponseFor = null;
        }
        else if (_pending.Count == 0 || !_pending[^1].IsGapMarker)
        {
            _pending.Add(HttpRequest.GapMarker());
        }

        r.ResetHead();
        r.State = State.Hunting;
    }

    private void CompleteMessage(Reader r, ulong exitNs)
    {
        if (r.IsResponse(_connection.Role))
        {
            CompleteResponse(r, exitNs);
            return;
        }

        r.ResetHead();
        r.State = State.Head;
    }

    private void CompleteResponse(Reader r, ulong exitNs)
    {
        var response = r.Response;
        var request = r.ResponseFor;
        r.Response = null;
        r.ResponseFor = null;
        r.ResetHead();
        r.State = State.Head;
        if (response is null)
        {
            return;
        }

        if (request is null)
        {
            return; // counted as unpaired when it was paired
        }

        response.LastExitNs = Math.Max(exitNs, response.FirstExitNs);
        _sink.OnExchangeCompleted(_connection, request, response);
    }

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;

    /// <summary>The parse state of one direction.</summary>
    private sealed class Reader
    {
        private byte[] _head = [];

        public Reader(Direction direction) => Direction = direction;

        public Direction Direction { get; }

        public State State { get; set; } = State.Hunting;

        public int HeadLength { get; private set; }

        public ReadOnlySpan<byte> HeadSpan => _head.AsSpan(0, HeadLength);

        public int LineLength { get; set; }

        public bool MessageStarted { get; set; }

        public ulong MessageEntryNs { get; set; }

        public ulong MessageExitNs { get; set; }

        public uint MessageTid { get; set; }

        public ulong Remaining { get; set; }

        public int ChunkLineLength { get; set; }

        public int ChunkDigits { get; set; }

        public ulong ChunkSize { get; set; }

        public bool InChunkExtension { get; set; }

        public int TrailerBytes { get; set; }

        public HttpResponse? Response { get; set; }

        public HttpRequest? ResponseFor { get; set; }

        /// <summary>True when this direction carries responses (the connection's role is known once a start was seen).</summary>
        public bool IsResponse(ConnectionRole role) =>
            role == ConnectionRole.Server ? Direction == Direction.Egress : Direction == Direction.Ingress;

        public void Append(ReadOnlySpan<byte> bytes)
        {
            int needed = HeadLength + bytes.Length;
            if (needed > _head.Length)
            {
                Array.Resize(ref _head, Math.Min(Math.Max(Math.Max(256, _head.Length * 2), needed), MaxHeadBytes));
            }

            bytes.CopyTo(_head.AsSpan(HeadLength));
            HeadLength = needed;
        }

        public void ResetHead()
        {
            HeadLength = 0;
            LineLength = 0;
            MessageStarted = false;
        }

        public void ResetChunkLine()
        {
            ChunkLineLength = 0;
            ChunkDigits = 0;
            ChunkSize = 0;
            InChunkExtension = false;
        }
    }
}
