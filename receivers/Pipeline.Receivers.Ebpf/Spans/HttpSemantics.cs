namespace Pipeline.Receivers.Ebpf.Spans;

/// <summary>HTTP semantic-convention rules shared by spans and metrics.</summary>
internal static class HttpSemantics
{
    /// <summary>The <c>error.type</c> of a request whose connection ended before a response.</summary>
    public const string ConnectionClosed = "connection_closed";

    /// <summary>Methods semconv knows; any other is reported as <c>_OTHER</c> with <c>http.request.method_original</c>.</summary>
    public static bool IsKnownMethod(string method) =>
        method is "GET" or "HEAD" or "POST" or "PUT" or "DELETE" or "CONNECT" or "OPTIONS" or "TRACE" or "PATCH" or "QUERY";

    /// <summary>The <c>http.request.method</c> value.</summary>
    public static string Method(string method) => IsKnownMethod(method) ? method : "_OTHER";

    /// <summary>Error status: 5xx on servers, 4xx and 5xx on clients, and no response at all.</summary>
    public static bool IsError(bool server, int status) => status == 0 || status >= (server ? 500 : 400);

    /// <summary>The <c>error.type</c>: the status code when it is an error, the closed-connection marker without a
    /// response, else null.</summary>
    public static string? ErrorType(bool server, int status) =>
        status == 0 ? ConnectionClosed : IsError(server, status) ? status.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
}
