using System.Runtime.InteropServices;

namespace Pipeline.Host.Service;

/// <summary>Turns SIGINT and SIGTERM (and an outside token) into one cancellation, keeping the process alive to drain.</summary>
internal sealed class ShutdownSignals : IDisposable
{
    private readonly CancellationTokenSource _cts;
    private readonly PosixSignalRegistration _sigint;
    private readonly PosixSignalRegistration _sigterm;

    /// <summary>Registers the handlers.</summary>
    public ShutdownSignals(CancellationToken outside)
    {
        _cts = CancellationTokenSource.CreateLinkedTokenSource(outside);
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Cancelled when a signal arrives.</summary>
    public CancellationToken Token => _cts.Token;

    /// <summary>The signal that arrived, if any.</summary>
    public PosixSignal? Received { get; private set; }

    /// <inheritdoc />
    public void Dispose()
    {
        _sigint.Dispose();
        _sigterm.Dispose();
        _cts.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        // Cancel the default termination: the service stops the pipelines and then returns from Main.
        context.Cancel = true;
        Received = context.Signal;
        _cts.Cancel();
    }
}
