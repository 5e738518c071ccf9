using System.Buffers;
using Google.Protobuf;

namespace Pipeline.Telemetry;

/// <summary>
/// One batch of telemetry of one signal, held either as encoded OTLP bytes or as a decoded request.
/// </summary>
/// <remarks>
/// Data that no processor reads stays encoded from receiver to exporter: each segment is a complete body of the
/// signal's <c>Export*ServiceRequest</c> (a run of field-1 entries), and because protobuf concatenates repeated
/// fields, a batch of several requests is just the list of their segments. Reading <see cref="TelemetryData{TSelf, TRequest}.Request"/>
/// decodes once; <see cref="TelemetryData{TSelf, TRequest}.GetMutableRequest"/> drops the encoded form.
/// Rules (pdata's): once passed to a consumer the caller must not touch the data; read-only data (shared by a
/// fan-out) must not be mutated.
/// </remarks>
public abstract class TelemetryData
{
    private protected ReadOnlyMemory<byte>[]? _segments;
    private protected int _encodedItemCount;
    private protected ClientInfo _client = ClientInfo.Empty;

    /// <summary>The signal of this batch.</summary>
    public abstract Signal Signal { get; }

    /// <summary>Spans, data points or log records in this batch.</summary>
    public abstract int ItemCount { get; }

    /// <summary>True when the data is shared and must not be mutated.</summary>
    public bool IsReadOnly { get; private set; }

    /// <summary>True while the batch is held as encoded bytes only (no decode has happened).</summary>
    public abstract bool IsEncodedOnly { get; }

    /// <summary>The encoded segments, or empty when the batch has been mutated since decoding.</summary>
    public ReadOnlySpan<ReadOnlyMemory<byte>> Segments => _segments;

    /// <summary>Who sent this batch (otelcol's <c>client.Info</c>): set by receivers, kept by <c>Clone</c> and
    /// splits, replaced by the batch processor (which keeps only its <c>metadata_keys</c>). Never null.</summary>
    public ClientInfo Client => _client;

    /// <summary>Marks the batch as shared; later calls to GetMutableRequest throw.</summary>
    public void MarkReadOnly() => IsReadOnly = true;

    /// <summary>
    /// Returns this batch carrying <paramref name="client"/>. A batch the caller owns is changed in place and
    /// returned; a read-only (shared) batch is left alone and a read-only view of the same items with the new client
    /// is returned instead, so other consumers of the shared batch still see the old client.
    /// </summary>
    public TelemetryData WithClient(ClientInfo client)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (ReferenceEquals(client, _client))
        {
            return this;
        }

        if (!IsReadOnly)
        {
            _client = client;
            return this;
        }

        var view = CreateReadOnlyView();
        view._client = client;
        return view;
    }

    /// <summary>A read-only instance sharing this batch's encoded or decoded content.</summary>
    private protected abstract TelemetryData CreateReadOnlyView();

    /// <summary>The size in bytes of the encoded request body.</summary>
    public abstract long CalculateSize();

    /// <summary>Writes the encoded request body (no gRPC framing).</summary>
    public abstract void WriteTo(IBufferWriter<byte> writer);

    /// <summary>Returns the encoded request body as one array.</summary>
    public byte[] ToByteArray()
    {
        var buffer = new ArrayBufferWriter<byte>(checked((int)CalculateSize()));
        WriteTo(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Returns the decoded request as a message (decoding once if needed).</summary>
    public abstract IMessage GetRequestMessage();
}

/// <summary>The signal-typed half of <see cref="TelemetryData"/>.</summary>
/// <typeparam name="TSelf">The concrete batch type.</typeparam>
/// <typeparam name="TRequest">The signal's OTLP export request.</typeparam>
public abstract class TelemetryData<TSelf, TRequest> : TelemetryData
    where TSelf : TelemetryData<TSelf, TRequest>
    where TRequest : class, IMessage<TRequest>, new()
{
    private TRequest? _request;

    /// <inheritdoc />
    public sealed override bool IsEncodedOnly => _request is null;

    /// <inheritdoc />
    public sealed override int ItemCount => _request is null ? _encodedItemCount : CountItems(_request);

    /// <summary>The decoded request, for reading. Decodes the encoded segments on first use.</summary>
    public TRequest Request
    {
        get
        {
            if (_request is null)
            {
                var request = new TRequest();
                foreach (var segment in _segments!)
                {
                    request.MergeFrom(segment.Span);
                }

                _request = request;
            }

            return _request;
        }
    }

    /// <summary>The decoded request, for changing. The encoded form is dropped, so later writes re-encode.</summary>
    /// <exception cref="InvalidOperationException">The data is read-only (shared by a fan-out).</exception>
    public TRequest GetMutableRequest()
    {
        if (IsReadOnly)
        {
            throw new InvalidOperationException($"This {Signal.ToName()} batch is read-only: it is shared by several consumers and must be cloned before it is changed.");
        }

        var request = Request;
        _segments = null;
        return request;
    }

    /// <inheritdoc />
    public sealed override IMessage GetRequestMessage() => Request;

    /// <summary>Returns this batch carrying <paramref name="client"/> (see <see cref="TelemetryData.WithClient"/>).</summary>
    public new TSelf WithClient(ClientInfo client) => (TSelf)base.WithClient(client);

    /// <inheritdoc />
    private protected sealed override TelemetryData CreateReadOnlyView()
    {
        var view = CreateEmpty();
        view._segments = _segments;
        view._encodedItemCount = _encodedItemCount;
        view._request = _request;
        view.MarkReadOnly();
        return view;
    }

    /// <summary>Counts the items in a decoded request.</summary>
    protected abstract int CountItems(TRequest request);

    /// <summary>Creates an empty instance of the concrete type.</summary>
    protected abstract TSelf CreateEmpty();

    /// <summary>Wraps an encoded request body whose items were counted by <see cref="Otlp.OtlpWire"/>.</summary>
    protected TSelf InitEncoded(ReadOnlyMemory<byte>[] segments, int itemCount)
    {
        _segments = segments;
        _encodedItemCount = itemCount;
        return (TSelf)this;
    }

    /// <summary>Wraps a decoded request.</summary>
    protected TSelf InitDecoded(TRequest request)
    {
        _request = request;
        return (TSelf)this;
    }

    /// <inheritdoc />
    public sealed override long CalculateSize()
    {
        if (_segments is not null)
        {
            long size = 0;
            foreach (var segment in _segments)
            {
                size += segment.Length;
            }

            return size;
        }

        return _request!.CalculateSize();
    }

    /// <inheritdoc />
    public sealed override void WriteTo(IBufferWriter<byte> writer)
    {
        if (_segments is not null)
        {
            foreach (var segment in _segments)
            {
                writer.Write(segment.Span);
            }

            return;
        }

        _request!.WriteTo(writer);
    }

    /// <summary>
    /// Returns an independent copy that may be mutated. Encoded segments are immutable and shared; a decoded
    /// request is deep-cloned.
    /// </summary>
    public TSelf Clone()
    {
        var copy = CreateEmpty();
        copy._client = _client;
        if (_segments is not null)
        {
            return copy.InitEncoded(_segments, ItemCount);
        }

        return copy.InitDecoded(_request!.Clone());
    }

    /// <summary>
    /// Concatenates batches into one. Encoded batches are joined without decoding; decoded ones are encoded once.
    /// A single part is returned as is; a joined batch carries no client (<see cref="ClientInfo.Empty"/>).
    /// </summary>
    public static TSelf Concat(IReadOnlyList<TSelf> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 1)
        {
            return parts[0];
        }

        int segmentCount = 0;
        for (int i = 0; i < parts.Count; i++)
        {
            segmentCount += parts[i]._segments?.Length ?? 1;
        }

        var segments = new ReadOnlyMemory<byte>[segmentCount];
        int n = 0;
        int items = 0;
        for (int i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            items += part.ItemCount;
            if (part._segments is not null)
            {
                part._segments.CopyTo(segments, n);
                n += part._segments.Length;
            }
            else
            {
                segments[n++] = part._request!.ToByteArray();
            }
        }

        return parts[0].CreateEmpty().InitEncoded(segments, items);
    }
}
