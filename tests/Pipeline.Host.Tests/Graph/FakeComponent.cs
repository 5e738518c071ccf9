using Pipeline.Abstractions;

namespace Pipeline.Host.Tests.Graph;

/// <summary>Lifecycle that records "start kind/id" and "stop kind/id", and can fail on start.</summary>
internal abstract class FakeComponent : IComponent
{
    protected FakeComponent(Recorder recorder, string name, FakeConfig config)
    {
        Recorder = recorder;
        Name = name;
        Config = config;
    }

    public Recorder Recorder { get; }

    public string Name { get; }

    public FakeConfig Config { get; }

    public int Starts { get; private set; }

    public int Shutdowns { get; private set; }

    public Task StartAsync(IComponentHost host, CancellationToken cancellationToken)
    {
        Starts++;
        Recorder.Add("start " + Name);
        if (Config.FailStart is { } message)
        {
            throw new InvalidOperationException(message);
        }

        return Task.CompletedTask;
    }

    public Task ShutdownAsync(CancellationToken cancellationToken)
    {
        Shutdowns++;
        Recorder.Add("stop " + Name);
        return Task.CompletedTask;
    }
}
