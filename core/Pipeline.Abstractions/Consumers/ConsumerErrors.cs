using System.Runtime.ExceptionServices;

namespace Pipeline.Abstractions;

/// <summary>How a component that hands one batch to several consumers reports their failures (fan-out, routing).</summary>
public static class ConsumerErrors
{
    /// <summary>
    /// Rethrows the errors of one delivery to several consumers: a single error as it was (stack kept), several as one
    /// exception whose message joins theirs — a <see cref="PermanentException"/> when every one is permanent (so the
    /// sender does not retry), otherwise an <see cref="AggregateException"/> (retryable).
    /// </summary>
    /// <param name="errors">At least one error.</param>
    public static void Throw(List<Exception> errors)
    {
        if (errors.Count == 1)
        {
            ExceptionDispatchInfo.Throw(errors[0]);
        }

        bool allPermanent = true;
        var messages = new string[errors.Count];
        for (int i = 0; i < errors.Count; i++)
        {
            allPermanent &= errors[i] is PermanentException;
            messages[i] = errors[i].Message;
        }

        string joined = string.Join("; ", messages);
        var aggregate = new AggregateException(joined, errors);
        if (allPermanent)
        {
            throw new PermanentException(joined, aggregate);
        }

        throw aggregate;
    }
}
