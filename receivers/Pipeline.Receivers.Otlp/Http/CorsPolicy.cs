using System.Globalization;
using Microsoft.AspNetCore.Http;
using Pipeline.Receivers.Otlp.Config;

namespace Pipeline.Receivers.Otlp.Http;

/// <summary>
/// CORS as otelcol serves it through rs/cors: credentials allowed, methods GET/POST/HEAD, default allowed headers Accept,
/// Content-Type and X-Requested-With, preflights answered with 204 and never passed on; a refused preflight gets no CORS headers.
/// </summary>
internal sealed class CorsPolicy
{
    private readonly bool _allOrigins;
    private readonly List<string> _origins = [];
    private readonly List<(string Prefix, string Suffix)> _wildcards = [];
    private readonly bool _allHeaders;
    private readonly HashSet<string> _headers = new(StringComparer.OrdinalIgnoreCase);
    private readonly string _exposed;
    private readonly int _maxAge;

    public CorsPolicy(CorsConfig config)
    {
        foreach (string origin in config.AllowedOrigins)
        {
            string o = origin.ToLowerInvariant();
            int star = o.IndexOf('*', StringComparison.Ordinal);
            if (o == "*")
            {
                _allOrigins = true;
            }
            else if (star >= 0)
            {
                _wildcards.Add((o[..star], o[(star + 1)..]));
            }
            else
            {
                _origins.Add(o);
            }
        }

        // rs/cors: with no allowed_headers it allows Accept, Content-Type and X-Requested-With; a custom list gets Origin added.
        if (config.AllowedHeaders.Count == 0)
        {
            _headers.UnionWith(["Accept", "Content-Type", "X-Requested-With"]);
        }
        else
        {
            _headers.Add("Origin");
        }

        foreach (string header in config.AllowedHeaders)
        {
            if (header == "*")
            {
                _allHeaders = true;
            }

            _headers.Add(header);
        }

        _exposed = string.Join(", ", config.ExposedHeaders);
        _maxAge = config.MaxAge;
    }

    /// <summary>Answers a preflight (OPTIONS with Access-Control-Request-Method); false when it is not one.</summary>
    public bool TryHandlePreflight(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsOptions(request.Method) || string.IsNullOrEmpty(request.Headers.AccessControlRequestMethod))
        {
            return false;
        }

        var response = context.Response;
        response.Headers.Append("Vary", "Origin");
        response.Headers.Append("Vary", "Access-Control-Request-Method");
        response.Headers.Append("Vary", "Access-Control-Request-Headers");
        response.StatusCode = StatusCodes.Status204NoContent;
        string origin = request.Headers.Origin.ToString();
        string method = request.Headers.AccessControlRequestMethod.ToString().ToUpperInvariant();
        if (origin.Length == 0 || !IsOriginAllowed(origin) || !IsMethodAllowed(method))
        {
            return true;
        }

        var requested = new List<string>();
        foreach (string? line in request.Headers.AccessControlRequestHeaders)
        {
            foreach (string name in (line ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!_allHeaders && !_headers.Contains(name))
                {
                    return true;
                }

                requested.Add(name);
            }
        }

        response.Headers.AccessControlAllowOrigin = _allOrigins ? "*" : origin;
        response.Headers.AccessControlAllowMethods = method;
        if (requested.Count > 0)
        {
            response.Headers.AccessControlAllowHeaders = string.Join(", ", requested);
        }

        response.Headers.AccessControlAllowCredentials = "true";
        if (_maxAge > 0)
        {
            response.Headers.AccessControlMaxAge = _maxAge.ToString(CultureInfo.InvariantCulture);
        }

        return true;
    }

    /// <summary>Adds the CORS headers of an actual (non-preflight) request from an allowed origin.</summary>
    public void ApplyToActualRequest(HttpContext context)
    {
        var response = context.Response;
        response.Headers.Append("Vary", "Origin");
        string origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0 || !IsOriginAllowed(origin) || !IsMethodAllowed(context.Request.Method))
        {
            return;
        }

        response.Headers.AccessControlAllowOrigin = _allOrigins ? "*" : origin;
        if (_exposed.Length > 0)
        {
            response.Headers.AccessControlExposeHeaders = _exposed;
        }

        response.Headers.AccessControlAllowCredentials = "true";
    }

    private static bool IsMethodAllowed(string method) =>
        HttpMethods.IsOptions(method) || HttpMethods.IsGet(method) || HttpMethods.IsPost(method) || HttpMethods.IsHead(method);

    private bool IsOriginAllowed(string origin)
    {
        if (_allOrigins)
        {
            return true;
        }

        string o = origin.ToLowerInvariant();
        foreach (string allowed in _origins)
        {
            if (allowed == o)
            {
                return true;
            }
        }

        foreach (var (prefix, suffix) in _wildcards)
        {
            if (o.Length >= prefix.Length + suffix.Length && o.StartsWith(prefix, StringComparison.Ordinal) && o.EndsWith(suffix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
