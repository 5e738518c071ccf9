using Pipeline.Receivers.Ebpf.Routes;
using Xunit;

namespace Pipeline.Receivers.Ebpf.Tests.Routes;

public class RouteMatcherTests
{
    [Theory]
    [InlineData("/users/42", "/users/{id}")]
    [InlineData("/users/me", "/users/me")]
    [InlineData("/orders/9/items/3", "/orders/:id/items/:item")]
    [InlineData("/static/css/site.css", "/static/*")]
    [InlineData("/static", "/static/*")]
    [InlineData("/", "/")]
    public void Route_ConfiguredPattern_MostLiteralMatchWins(string path, string expected)
    {
        var matcher = new RouteMatcher(new RoutesConfig
        {
            Patterns = ["/users/{id}", "/users/me", "/orders/:id/items/:item", "/static/*", "/"],
        });

        string? route = matcher.Route(path);

        Assert.Equal(expected, route);
    }

    [Theory]
    [InlineData("/users/", "/users/")]
    [InlineData("/users/42/extra", "/users/*/extra")]
    public void Route_ParameterNeedsOneNonEmptySegment_ElseHeuristic(string path, string expected)
    {
        var matcher = new RouteMatcher(new RoutesConfig { Patterns = ["/users/{id}"] });

        string? route = matcher.Route(path);

        Assert.Equal(expected, route);
    }

    [Theory]
    [InlineData("/users/123", "/users/*")]
    [InlineData("/a/550e8400-e29b-41d4-a716-446655440000/b", "/a/*/b")]
    [InlineData("/blob/deadbeefcafe", "/blob/*")]
    [InlineData("/users/settings", "/users/settings")]
    [InlineData("/v1/items", "/*/items")]
    [InlineData("/café/menu", "/*/menu")]
    [InlineData("/a//b/", "/a//b/")]
    [InlineData("/", "/")]
    [InlineData("", "/")]
    public void Heuristic_ReplacesIdLikeSegments(string path, string expected)
    {
        string route = RouteMatcher.Heuristic(path, '*');

        Assert.Equal(expected, route);
    }

    [Theory]
    [InlineData("heuristic", "/users/_")]
    [InlineData("path", "/users/42")]
    [InlineData("wildcard", "/**")]
    [InlineData("unset", null)]
    public void Route_Unmatched_FollowsPolicy(string unmatched, string? expected)
    {
        var matcher = new RouteMatcher(new RoutesConfig { Unmatched = unmatched, WildcardChar = "_" });

        string? route = matcher.Route("/users/42");

        Assert.Equal(expected, route);
    }

    [Fact]
    public void Decide_IgnoredPattern_DropsPerMode()
    {
        var matcher = new RouteMatcher(new RoutesConfig { IgnoredPatterns = ["/health/*"], IgnoreMode = "metrics" });

        var ignored = matcher.Decide("/health/live");
        var kept = matcher.Decide("/api");

        Assert.Equal(new RouteDecision("/health/live", false, true), ignored);
        Assert.Equal(new RouteDecision("/api", false, false), kept);
    }

    [Fact]
    public void Decide_MorePathsThanTheCacheHolds_KeepsDecidingTheSame()
    {
        var matcher = new RouteMatcher(new RoutesConfig { Patterns = ["/users/{id}"], IgnoredPatterns = ["/health/*"] });
        var before = (matcher.Decide("/users/42"), matcher.Decide("/health/live"), matcher.Decide("/orders/123"));

        for (int i = 0; i <= RouteMatcher.MaxCachedPaths; i++)
        {
            matcher.Decide("/items/" + i);
        }

        Assert.Equal(before, (matcher.Decide("/users/42"), matcher.Decide("/health/live"), matcher.Decide("/orders/123")));
        Assert.Equal(new RouteDecision("/users/{id}", false, false), before.Item1);
        Assert.True(before.Item2.DropSpan && before.Item2.DropMetric);
        Assert.Equal("/orders/*", before.Item3.Route);
    }
}
