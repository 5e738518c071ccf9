using Pipeline.Abstractions.Configuration;

namespace Pipeline.Config.Tests.Fakes;

/// <summary>A processor config with batch's cross-field rule.</summary>
internal sealed class FakeBatchConfig : IComponentConfig
{
    /// <summary>Default 8192.</summary>
    public int SendBatchSize { get; set; } = 8192;

    /// <summary>Default 0 (no cap).</summary>
    public int SendBatchMaxSize { get; set; }

    /// <summary>Default 200ms.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMilliseconds(200);

    public void Bind(ConfigSection s)
    {
        SendBatchSize = s.GetInt32("send_batch_size", SendBatchSize, min: 0);
        SendBatchMaxSize = s.GetInt32("send_batch_max_size", SendBatchMaxSize, min: 0);
        Timeout = s.GetDuration("timeout", Timeout);
        s.Finish();
    }

    public void Validate(ValidationErrors errors)
    {
        if (SendBatchMaxSize > 0 && SendBatchMaxSize < SendBatchSize)
        {
            errors.Add(string.Empty, $"send_batch_max_size ({SendBatchMaxSize}) must be >= send_batch_size ({SendBatchSize}).");
        }
    }
}
