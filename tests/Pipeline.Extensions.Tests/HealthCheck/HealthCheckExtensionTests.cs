using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Abstractions;
using Pipeline.Abstractions.Configuration;
using Pipeline.Extensions.HealthCheck;
using Pipeline.Testing;
using Xunit;

namespace Pipeline.Extensions.Tests.HealthCheck;

public class HealthCheckExtensionTests
{
    private static async Task<(HealthCheckExtension Extension, HttpClient Client, FakeTimeProvider Time)> StartAsync(string path = "/")
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));
        var config = new HealthCheckConfig { Endpoint = "127.0.0.1:0", Path = path };
        var extension = (HealthCheckExtension)new HealthCheckFactory().CreateExtension(TestSettings.For(ComponentKind.Extension, "health_check", time: time), config);
        await extension.StartAsync(NopHost.Instance, default);
        return (extension, new HttpClient { BaseAddress = extension.BoundAddress }, time);
    }

    [Fact]
    public async Task Get_WhileStarting_Returns503WithOtelcolBody()
    {
        var (extension, client, _) = await StartAsync();

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("{\"status\":\"Server not available\",\"upSince\":\"0001-01-01T00:00:00Z\",\"uptime\":\"\"}", await response.Content.ReadAsStringAsync());
        await extension.ShutdownAsync(default);
    }

    [Fact]
    public async Task Get_WhenReady_Returns200WithUpSinceAndUptime()
    {
        var (extension, client, time) = await StartAsync();
        extension.Ready();
        time.Advance(TimeSpan.FromSeconds(90));

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Server available", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("2026-11-26T10:00:00Z", body.RootElement.GetProperty("upSince").GetString());
        Assert.Equal("1m30s", body.RootElement.GetProperty("uptime").GetString());
        await extension.ShutdownAsync(default);
    }

    [Fact]
    public async Task Get_AfterNotReady_Returns503Again()
    {
        var (extension, client, _) = await StartAsync();
        extension.Ready();
        extension.NotReady();

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        await extension.ShutdownAsync(default);
    }

    [Fact]
    public async Task Get_ConfiguredPath_ServedThereOnly()
    {
        var (extension, client, _) = await StartAsync("/health/status");
        extension.Ready();

        using var atPath = await client.GetAsync("/health/status");
        using var atRoot = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, atPath.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, atRoot.StatusCode);
        await extension.ShutdownAsync(default);
    }

    [Fact]
    public void ShutdownAsync_NeverStarted_DoesNotThrow()
    {
        var extension = new HealthCheckFactory().CreateExtension(TestSettings.For(ComponentKind.Extension, "health_check"), new HealthCheckConfig());

        var shutdown = extension.ShutdownAsync(default);

        Assert.True(shutdown.IsCompletedSuccessfully);
    }

    [Theory]
    [InlineData("localhost", "/", "extensions::health_check::endpoint: invalid endpoint \"localhost\": expected host:port.")]
    [InlineData("localhost:13133", "health", "extensions::health_check::path: path \"health\" must start with \"/\".")]
    public void Validate_Bad_ReportsKeyAndValue(string endpoint, string path, string expected)
    {
        var errors = new ConfigErrorList();

        new HealthCheckConfig { Endpoint = endpoint, Path = path }.Validate(new ValidationErrors(errors, "extensions::health_check"));

        Assert.Equal(expected, Assert.Single(errors.Errors).ToString());
    }

    [Fact]
    public void CreateDefaultConfig_MatchesOtelcolDefaults()
    {
        var config = (HealthCheckConfig)new HealthCheckFactory().CreateDefaultConfig();

        Assert.Equal("localhost:13133", config.Endpoint);
        Assert.Equal("/", config.Path);
    }
}
