using Pipeline.Abstractions.Configuration;

namespace Pipeline.Extensions.HealthCheck;

/// <summary>Config of the <c>health_check</c> extension (otelcol-contrib extension/healthcheckextension).</summary>
public sealed class HealthCheckConfig : IComponentConfig
{
    /// <summary><c>endpoint</c>: host:port to listen on. Default <c>localhost:13133</c>.</summary>
    public string Endpoint { get; set; } = "localhost:13133";

    /// <summary><c>path</c>: the URL path answered. Default <c>/</c>.</summary>
    public string Path { get; set; } = "/";

    /// <summary><c>response_body::healthy</c>: replaces the JSON body when healthy, if set.</summary>
    public string? HealthyBody { get; set; }

    /// <summary><c>response_body::unhealthy</c>: replaces the JSON body when unhealthy, if set.</summary>
    public string? UnhealthyBody { get; set; }

    /// <inheritdoc />
    public void Bind(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        Endpoint = section.GetString("endpoint", Endpoint);
        Path = section.GetString("path", Path);
        if (section.GetSection("response_body") is { } body)
        {
            HealthyBody = body.GetOptionalString("healthy", HealthyBody);
            UnhealthyBody = body.GetOptionalString("unhealthy", UnhealthyBody);
            body.Finish();
        }

        // otelcol documents check_collector_pipeline as not working; accepted so configs load, and ignored.
        if (section.GetSection("check_collector_pipeline") is { } pipelineCheck)
        {
            pipelineCheck.GetBool("enabled", false);
            pipelineCheck.GetDuration("interval", TimeSpan.FromMinutes(5));
            pipelineCheck.GetInt32("exporter_failure_threshold", 5);
            pipelineCheck.Finish();
        }
    }

    /// <inheritdoc />
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (!HostPort.TryParse(Endpoint, out _, out _))
        {
            errors.Add("endpoint", $"invalid endpoint \"{Endpoint}\": expected host:port.");
        }

        if (!Path.StartsWith('/'))
        {
            errors.Add("path", $"path \"{Path}\" must start with \"/\".");
        }
    }
}
