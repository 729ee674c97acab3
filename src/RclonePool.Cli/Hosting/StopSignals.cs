using System.Runtime.InteropServices;
using RclonePool.Cli.Output;

namespace RclonePool.Cli.Hosting;

/// <summary>
/// SIGINT (Ctrl-C) and SIGTERM cancel the running command instead of killing the process: calls in flight end, the pool
/// closes (rclone rcd is stopped once, on purpose), and the command exits with its own code (130 for an interrupted
/// transfer, 0 for serve). A second signal, or a command that has not ended <see cref="Grace"/> after the first, ends
/// the process at once.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    /// <summary>How long a command may take to end after the first signal.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration[] _registrations;
    private int _signals;

    public StopSignals()
    {
        _registrations = OperatingSystem.IsWindows()
            ? []
            : [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)];
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _stop.Token;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _stop.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref _signals) > 1)
        {
            // The second signal: the default action (the process ends now).
            return;
        }

        context.Cancel = true;
        _stop.Cancel();
        _ = Task.Delay(Grace).ContinueWith(_ =>
        {
            Console.Error.WriteLine($"rclonepool: still stopping {Grace.TotalSeconds:0} s after the signal; ending now.");
            Environment.Exit(ExitCodes.Interrupted);
        }, TaskScheduler.Default);
    }
}
