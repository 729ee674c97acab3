using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace RclonePool.Core.Remotes.Rclone;

/// <summary>
/// Every rclone process this process started and that still runs. They are stopped when this process exits
/// (<see cref="AppDomain.ProcessExit"/>) or is asked to stop by a signal; a SIGKILL of this process is covered by
/// the parent-death signal <see cref="RcloneProcessLauncher"/> sets.
/// </summary>
internal static partial class RcloneChildren
{
    private const int SigTerm = 15;

    private static readonly ConcurrentDictionary<int, Process> Live = new();
    private static readonly Lock HookLock = new();
    private static bool _exitHooked;
    private static PosixSignalRegistration[]? _signalRegistrations;

    public static void Track(Process process, bool stopOnSignals)
    {
        Live[process.Id] = process;
        Hook(stopOnSignals);
    }

    public static void Forget(Process process)
    {
        try
        {
            Live.TryRemove(process.Id, out _);
        }
        catch (InvalidOperationException)
        {
            // The process object was never started; nothing is tracked.
        }
    }

    /// <summary>Asks the process to stop (SIGTERM) and kills it when it has not stopped after <paramref name="grace"/>.</summary>
    public static async Task StopAsync(Process process, TimeSpan grace)
    {
        if (HasExited(process))
        {
            Forget(process);
            return;
        }

        if (grace > TimeSpan.Zero && !OperatingSystem.IsWindows())
        {
            _ = SendSignal(process.Id, SigTerm);
            using var timeout = new CancellationTokenSource(grace);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // Did not stop in time: killed below.
            }
        }

        Kill(process);
        Forget(process);
    }

    /// <summary>Kills the process and its children at once; never throws.</summary>
    public static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone, or never started.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Raced with its exit.
        }
    }

    public static bool HasExited(Process process)
    {
        try
        {
            return process.HasExited;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    /// <summary>Stops every tracked rclone: SIGTERM to all, a short wait, then SIGKILL for the rest.</summary>
    public static void StopAll(TimeSpan grace)
    {
        var processes = Live.Values.ToArray();
        if (processes.Length == 0)
        {
            return;
        }

        if (!OperatingSystem.IsWindows())
        {
            foreach (var process in processes)
            {
                if (!HasExited(process))
                {
                    _ = SendSignal(process.Id, SigTerm);
                }
            }

            var deadline = Stopwatch.StartNew();
            foreach (var process in processes)
            {
                var left = grace - deadline.Elapsed;
                if (left > TimeSpan.Zero && !HasExited(process))
                {
                    try
                    {
                        process.WaitForExit(left);
                    }
                    catch (InvalidOperationException)
                    {
                        // Gone.
                    }
                }
            }
        }

        foreach (var process in processes)
        {
            Kill(process);
            Forget(process);
        }
    }

    private static void Hook(bool stopOnSignals)
    {
        lock (HookLock)
        {
            if (!_exitHooked)
            {
                AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll(TimeSpan.FromSeconds(1));
                _exitHooked = true;
            }

            if (stopOnSignals && _signalRegistrations is null && !OperatingSystem.IsWindows())
            {
                // The default action (termination) still runs after the handler: nothing is cancelled here.
                _signalRegistrations =
                [
                    PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnTerminationSignal),
                    PosixSignalRegistration.Create(PosixSignal.SIGINT, OnTerminationSignal),
                    PosixSignalRegistration.Create(PosixSignal.SIGQUIT, OnTerminationSignal),
                    PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnTerminationSignal),
                ];
            }
        }
    }

    /// <summary>
    /// A termination signal: the host (the CLI, a server) cancels its work and closes its pools, which stop their rclone
    /// children on purpose; whatever still runs <see cref="StopAfterSignal"/> later is stopped here. When nothing cancels
    /// the signal's default action, the process ends now and the exit hook stops the children.
    /// </summary>
    private static void OnTerminationSignal(PosixSignalContext context)
    {
        ShuttingDown = true;
        _ = Task.Delay(StopAfterSignal).ContinueWith(_ => StopAll(TimeSpan.FromMilliseconds(500)), TaskScheduler.Default);
    }

    private static readonly TimeSpan StopAfterSignal = TimeSpan.FromSeconds(5);

    /// <summary>
    /// True once the process received a termination signal: the rclone children are being stopped on purpose, so a
    /// daemon that exits is not reported or replaced, and calls that meet it end as cancelled.
    /// </summary>
    public static bool ShuttingDown
    {
        get => Volatile.Read(ref _shuttingDown);
        private set => Volatile.Write(ref _shuttingDown, value);
    }

    private static bool _shuttingDown;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
