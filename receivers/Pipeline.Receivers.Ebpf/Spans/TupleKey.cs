using System.Net;

namespace Pipeline.Receivers.Ebpf.Spans;

/// <summary>A TCP connection seen from its client: the client's address and port, then the server's. A client span
/// and the server span it caused on this host have the same key.</summary>
internal readonly record struct TupleKey(IPAddress ClientAddress, ushort ClientPort, IPAddress ServerAddress, ushort ServerPort);
