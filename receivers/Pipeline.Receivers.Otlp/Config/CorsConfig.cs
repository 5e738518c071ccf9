using Pipeline.Abstractions.Configuration;

namespace Pipeline.Receivers.Otlp.Config;

/// <summary>CORS for browser clients (otelcol's <c>confighttp.CORSConfig</c>, served as rs/cors serves it, with
/// credentials allowed). CORS is off unless <see cref="AllowedOrigins"/> has an entry.</summary>
public sealed class CorsConfig
{
    /// <summary>Origins allowed, each with at most one <c>*</c> wildcard (<c>https://*.example.com</c>, <c>http://*</c>);
    /// a lone <c>*</c> allows any origin. Default empty (CORS off).</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>Request headers allowed besides the CORS-safelisted ones; <c>*</c> allows any. Default empty.</summary>
    public List<string> AllowedHeaders { get; set; } = [];

    /// <summary>Response headers a browser may expose to scripts. Default empty.</summary>
    public List<string> ExposedHeaders { get; set; } = [];

    /// <summary>Seconds a browser may cache a preflight answer; zero sends no <c>Access-Control-Max-Age</c>. Default 0.</summary>
    public int MaxAge { get; set; }

    /// <summary>Reads the keys of a <c>cors</c> section.</summary>
    public void Bind(ConfigSection s)
    {
        ArgumentNullException.ThrowIfNull(s);
        AllowedOrigins = s.GetStringList("allowed_origins", AllowedOrigins);
        AllowedHeaders = s.GetStringList("allowed_headers", AllowedHeaders);
        ExposedHeaders = s.GetStringList("exposed_headers", ExposedHeaders);
        MaxAge = s.GetInt32("max_age", MaxAge, min: 0);
        s.Finish();
    }

    /// <summary>Checks the origin patterns.</summary>
    public void Validate(ValidationErrors e)
    {
        ArgumentNullException.ThrowIfNull(e);
        foreach (string origin in AllowedOrigins)
        {
            if (origin != "*" && origin.AsSpan().Count('*') > 1)
            {
                e.Add("allowed_origins", $"origin \"{origin}\" has more than one '*': use at most one wildcard per origin.");
            }
        }
    }
}
