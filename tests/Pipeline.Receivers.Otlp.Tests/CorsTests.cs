using System.Net;
using Pipeline.Receivers.Otlp.Config;
using Xunit;

namespace Pipeline.Receivers.Otlp.Tests;

public sealed class CorsTests
{
    private static Task<ReceiverHarness> StartAsync(List<string>? headers = null) => ReceiverHarness.StartAsync(c => c.Http!.Cors = new CorsConfig
    {
        AllowedOrigins = ["https://*.example.com", "http://localhost:3000"],
        AllowedHeaders = headers ?? [],
        ExposedHeaders = ["X-Trace-Id"],
        MaxAge = 7200,
    });

    private static HttpRequestMessage Preflight(string origin, string method = "POST", string? headers = "content-type")
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/v1/traces");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        if (headers is not null)
        {
            request.Headers.Add("Access-Control-Request-Headers", headers);
        }

        return request;
    }

    [Fact]
    public async Task Preflight_WildcardOrigin_AllowedWithMaxAge()
    {
        await using var h = await StartAsync();

        using var response = await h.Http.SendAsync(Preflight("https://app.example.com"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("https://app.example.com", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Equal("POST", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Methods")));
        Assert.Equal("content-type", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Headers")));
        Assert.Equal("true", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Credentials")));
        Assert.Equal("7200", Assert.Single(response.Headers.GetValues("Access-Control-Max-Age")));
        Assert.Empty(h.Traces.Batches);
    }

    [Fact]
    public async Task Preflight_OriginNotAllowed_NoCorsHeaders()
    {
        await using var h = await StartAsync();

        using var response = await h.Http.SendAsync(Preflight("https://evil.test"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Preflight_HeaderNotAllowed_NoCorsHeaders()
    {
        await using var h = await StartAsync();

        using var response = await h.Http.SendAsync(Preflight("http://localhost:3000", headers: "content-type, x-tenant"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Preflight_ConfiguredHeader_Allowed()
    {
        await using var h = await StartAsync(["X-Tenant", "Content-Type"]);

        using var response = await h.Http.SendAsync(Preflight("http://localhost:3000", headers: "x-tenant,content-type"));

        Assert.Equal("http://localhost:3000", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Equal("x-tenant, content-type", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Headers")));
    }

    [Fact]
    public async Task ActualRequest_AllowedOrigin_GetsCorsHeadersAndIsServed()
    {
        await using var h = await StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/traces") { Content = ReceiverHarness.Protobuf(Payloads.Traces(1)) };
        request.Headers.Add("Origin", "https://shop.example.com");

        using var response = await h.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("https://shop.example.com", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Equal("X-Trace-Id", Assert.Single(response.Headers.GetValues("Access-Control-Expose-Headers")));
        Assert.Equal(1, h.Traces.ItemCount);
    }

    [Fact]
    public async Task Options_WithoutCors_Is405()
    {
        await using var h = await ReceiverHarness.StartAsync();

        using var response = await h.Http.SendAsync(Preflight("https://app.example.com"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
