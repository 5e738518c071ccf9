namespace Pipeline.Exporters.OtlpGrpc;

/// <summary>Sets the user agent (<c>Pipeline/&lt;version&gt;</c>) and the optional <c>authority</c> on every HTTP/2 request.</summary>
internal sealed class ClientHeadersHandler(string userAgent, string? authority) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.UserAgent.Clear();
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        if (authority is not null)
        {
            request.Headers.Host = authority;
        }

        return base.SendAsync(request, cancellationToken);
    }
}
