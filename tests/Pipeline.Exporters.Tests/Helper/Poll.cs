using Microsoft.Extensions.Time.Testing;

namespace Pipeline.Exporters.Tests.Helper;

/// <summary>Deadline-bound waiting: conditions are polled, fake clocks are stepped; nothing asserts on timing.</summary>
internal static class Poll
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    public static async Task<bool> UntilAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var end = DateTime.UtcNow + (timeout ?? Deadline);
        while (!condition())
        {
            if (DateTime.UtcNow > end)
            {
                return false;
            }

            await Task.Delay(5);
        }

        return true;
    }

    /// <summary>Steps the fake clock until the task completes (or the real-time deadline passes).</summary>
    public static async Task<bool> PumpAsync(FakeTimeProvider time, Task task, TimeSpan step)
    {
        var end = DateTime.UtcNow + Deadline;
        while (!task.IsCompleted)
        {
            if (DateTime.UtcNow > end)
            {
                return false;
            }

            time.Advance(step);
            await Task.Delay(2);
        }

        return true;
    }
}
