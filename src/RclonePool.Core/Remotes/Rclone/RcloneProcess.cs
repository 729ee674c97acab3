using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace RclonePool.Core.Remotes.Rclone;

/// <summary>
/// One running rclone: its stdin and stdout as streams, its stderr pumped (logged at Debug, the last lines kept
/// for error messages, optionally handed to a callback line by line). Disposing kills it when it still runs.
/// </summary>
internal sealed class RcloneProcess : IAsyncDisposable, IDisposable
{
    private const int TailLines = 40;

    private readonly Process _process;
    private readonly ILogger _logger;
    private readonly Action<string>? _onErrorLine;
    private readonly Queue<string> _errorTail = new();
    private readonly Lock _tailLock = new();
    private readonly Task _errorPump;
    private readonly Task _outputDrain;
    private int _disposed;

    private RcloneProcess(Process process, ILogger logger, Action<string>? onErrorLine, bool drainOutput)
    {
        _process = process;
        _logger = logger;
        _onErrorLine = onErrorLine;
        Id = process.Id;
        _errorPump = Task.Run(PumpErrorsAsync);
        _outputDrain = drainOutput ? Task.Run(DrainOutputAsync) : Task.CompletedTask;
    }

    public int Id { get; }

    public Stream Input => _process.StandardInput.BaseStream;

    public Stream Output => _process.StandardOutput.BaseStream;

    public bool HasExited => RcloneChildren.HasExited(_process);

    /// <summary>The exit code; meaningful once <see cref="HasExited"/>.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>The last lines rclone wrote to stderr.</summary>
    public IReadOnlyList<string> ErrorLines
    {
        get
        {
            lock (_tailLock)
            {
                return [.. _errorTail];
            }
        }
    }

    /// <summary>
    /// Starts rclone with <paramref name="arguments"/>. Unless <paramref name="keepInput"/>, stdin is closed at once
    /// (rclone never waits on a terminal). With <paramref name="drainOutput"/>, stdout is read and discarded.
    /// </summary>
    public static async Task<RcloneProcess> StartAsync(
        RcloneOptions options,
        IReadOnlyList<string> arguments,
        ILogger logger,
        bool keepInput = false,
        bool drainOutput = false,
        Action<string>? onErrorLine = null,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var process = await RcloneProcessLauncher.StartAsync(options, arguments, environment);
        RcloneLog.ProcessStarted(logger, process.Id, arguments.Count > 0 ? arguments[0] : "");
        if (!keepInput)
        {
            process.StandardInput.Close();
        }

        return new RcloneProcess(process, logger, onErrorLine, drainOutput);
    }

    /// <summary>Waits for the exit and for stderr to be read to its end; kills the process when cancelled.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw;
        }

        await _errorPump;
        return _process.ExitCode;
    }

    public void Kill() => RcloneChildren.Kill(_process);

    /// <summary>SIGTERM, then SIGKILL after <paramref name="grace"/>.</summary>
    public Task StopAsync(TimeSpan grace) => RcloneChildren.StopAsync(_process, grace);

    /// <summary>Waits for the exit (no timeout) and for stderr to be read to its end.</summary>
    public int WaitForExit()
    {
        _process.WaitForExit();
        _errorPump.Wait(TimeSpan.FromSeconds(10));
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!HasExited)
        {
            Kill();
        }

        try
        {
            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
            await Task.WhenAll(_errorPump, _outputDrain).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            RcloneLog.ProcessDidNotExit(_logger, Id);
        }

        RcloneChildren.Forget(_process);
        _process.Dispose();
    }

    /// <summary>Kills the process when it still runs and releases it, waiting a few seconds at most.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!HasExited)
        {
            Kill();
        }

        try
        {
            _process.WaitForExit(TimeSpan.FromSeconds(5));
        }
        catch (InvalidOperationException)
        {
            // Never started or already released.
        }

        RcloneChildren.Forget(_process);
        _process.Dispose();
    }

    private async Task PumpErrorsAsync()
    {
        try
        {
            var reader = _process.StandardError;
            while (await reader.ReadLineAsync() is { } line)
            {
                lock (_tailLock)
                {
                    if (_errorTail.Count == TailLines)
                    {
                        _errorTail.Dequeue();
                    }

                    _errorTail.Enqueue(line);
                }

                RcloneLog.ProcessOutput(_logger, Id, line);
                _onErrorLine?.Invoke(line);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The process went away; the tail holds what it said.
        }
    }

    private async Task DrainOutputAsync()
    {
        var buffer = new byte[4096];
        try
        {
            while (await _process.StandardOutput.BaseStream.ReadAsync(buffer) > 0)
            {
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The process went away.
        }
    }
}
