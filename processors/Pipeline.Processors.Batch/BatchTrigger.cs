namespace Pipeline.Processors.Batch;

/// <summary>Why a batch was sent.</summary>
internal enum BatchTrigger
{
    /// <summary>Pending items reached <c>send_batch_size</c> (or <c>timeout</c> is 0).</summary>
    Size,

    /// <summary>The timeout passed since the oldest pending item.</summary>
    Timeout,

    /// <summary>The processor is shutting down.</summary>
    Shutdown,
}
