namespace Pipeline.Host.Tests.Graph;

/// <summary>Records lifecycle events of fake components in order.</summary>
internal sealed class Recorder
{
    private readonly List<string> _events = [];

    public IReadOnlyList<string> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public void Add(string e)
    {
        lock (_events)
        {
            _events.Add(e);
        }
    }
}
