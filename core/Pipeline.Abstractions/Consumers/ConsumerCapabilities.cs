namespace Pipeline.Abstractions;

/// <summary>What a consumer does to the data it receives.</summary>
/// <param name="MutatesData">True if it changes the batch in place.</param>
public readonly record struct ConsumerCapabilities(bool MutatesData)
{
    /// <summary>A consumer that only reads.</summary>
    public static ConsumerCapabilities ReadOnly => new(false);

    /// <summary>A consumer that changes the data.</summary>
    public static ConsumerCapabilities Mutating => new(true);
}
