using Pipeline.Abstractions.Configuration;

namespace Pipeline.Exporters.Helper;

/// <summary><c>retry_on_failure</c>: exponential backoff with jitter (otelcol's configretry.BackOffConfig).</summary>
public sealed class RetryConfig
{
    /// <summary>Whether failed sends are retried. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Wait after the first failure. Default 5s.</summary>
    public TimeSpan InitialInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Upper bound of the (unrandomised) backoff. Default 30s.</summary>
    public TimeSpan MaxInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest time spent on one request before giving up; 0 retries forever. Default 300s.</summary>
    public TimeSpan MaxElapsedTime { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>Factor applied to the interval after each retry. Default 1.5.</summary>
    public double Multiplier { get; set; } = 1.5;

    /// <summary>Jitter: each wait is drawn from interval × [1 − f, 1 + f]. Default 0.5.</summary>
    public double RandomizationFactor { get; set; } = 0.5;

    /// <summary>Reads the <c>retry_on_failure</c> section.</summary>
    public void Bind(ConfigSection? section)
    {
        if (section is null)
        {
            return;
        }

        Enabled = section.GetBool("enabled", Enabled);
        InitialInterval = section.GetDuration("initial_interval", InitialInterval, allowNegative: true);
        MaxInterval = section.GetDuration("max_interval", MaxInterval, allowNegative: true);
        MaxElapsedTime = section.GetDuration("max_elapsed_time", MaxElapsedTime, allowNegative: true);
        Multiplier = section.GetDouble("multiplier", Multiplier);
        RandomizationFactor = section.GetDouble("randomization_factor", RandomizationFactor);
        section.Finish();
    }

    /// <summary>otelcol's rules and messages; nothing is checked when retries are off.</summary>
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (!Enabled)
        {
            return;
        }

        if (InitialInterval < TimeSpan.Zero)
        {
            errors.Add(string.Empty, "'initial_interval' must be non-negative.");
        }

        if (RandomizationFactor is < 0 or > 1)
        {
            errors.Add(string.Empty, "'randomization_factor' must be within [0, 1].");
        }

        if (Multiplier <= 0)
        {
            errors.Add(string.Empty, "'multiplier' must be positive.");
        }

        if (MaxInterval < TimeSpan.Zero)
        {
            errors.Add(string.Empty, "'max_interval' must be non-negative.");
        }

        if (MaxElapsedTime < TimeSpan.Zero)
        {
            errors.Add(string.Empty, "'max_elapsed_time' must be non-negative.");
        }
        else if (MaxElapsedTime > TimeSpan.Zero)
        {
            if (MaxElapsedTime < InitialInterval)
            {
                errors.Add(string.Empty, "'max_elapsed_time' must not be less than 'initial_interval'.");
            }

            if (MaxElapsedTime < MaxInterval)
            {
                errors.Add(string.Empty, "'max_elapsed_time' must not be less than 'max_interval'.");
            }
        }
    }
}
