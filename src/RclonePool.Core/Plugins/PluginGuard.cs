using Microsoft.Extensions.Logging;

namespace RclonePool.Core.Plugins;

/// <summary>
/// Every call into one plugin goes through here: it runs with a time-out, an exception or a time-out is caught and
/// logged, and after <see cref="Limit"/> failures in a row the plugin is disabled for the rest of the process, with a
/// message that says so. Calls run on the plugin's own threads (<see cref="PluginThreads"/>): a call that hangs keeps its
/// thread (.NET cannot stop it), never one of the thread pool's, and the pool no longer waits for it. Thread-safe.
/// </summary>
public sealed class PluginGuard(string id, TimeSpan timeout, ILogger logger)
{
    /// <summary>Failures in a row that disable a plugin.</summary>
    public const int Limit = 3;

    private readonly PluginThreads _threads = new($"plugin {id}");
    private int _failuresInARow;
    private int _disabled;

    public string Id { get; } = id;

    public TimeSpan Timeout { get; } = timeout;

    /// <summary>True once the plugin failed <see cref="Limit"/> times in a row: it is not called again.</summary>
    public bool IsDisabled => Volatile.Read(ref _disabled) == 1;

    /// <summary>
    /// Runs <paramref name="call"/> on the plugin's threads within the time-out; false (logged with <paramref name="consequence"/>)
    /// when it failed, when <paramref name="check"/> finds the answer wrong (it returns why), or when the plugin is disabled.
    /// </summary>
    public bool TryInvoke<T>(Func<T> call, string consequence, out T result, Func<T, string?>? check = null)
    {
        result = default!;
        if (IsDisabled)
        {
            return false;
        }

        var task = _threads.Run(call);
        try
        {
            if (!task.Wait(Timeout))
            {
                Failed($"no answer within {Timeout.TotalSeconds:0.###} s", consequence);
                return false;
            }
        }
        catch (AggregateException e)
        {
            Failed(Describe(e.InnerException ?? e), consequence);
            return false;
        }

        if (check?.Invoke(task.Result) is { } wrong)
        {
            Failed(wrong, consequence);
            return false;
        }

        result = task.Result;
        Succeeded();
        return true;
    }

    /// <summary>Runs <paramref name="call"/> within the time-out (its token is cancelled then); false (logged) when it failed.</summary>
    public async Task<bool> TryInvokeAsync(Func<CancellationToken, Task> call, string consequence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (IsDisabled)
        {
            return false;
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Timeout);
        try
        {
            // On the plugin's threads: a handler that blocks before its first await blocks neither the caller nor the thread pool.
            await _threads.Run(() => call(limit.Token)).Unwrap().WaitAsync(Timeout, cancellationToken);
            Succeeded();
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            Failed($"no answer within {Timeout.TotalSeconds:0.###} s", consequence);
            return false;
        }
        catch (Exception e)
        {
            Failed(Describe(e), consequence);
            return false;
        }
    }

    /// <summary>Counts a failure the caller found itself (a wrong answer).</summary>
    public void Failed(string failure, string consequence)
    {
        var count = Interlocked.Increment(ref _failuresInARow);
        if (count >= Limit)
        {
            if (Interlocked.Exchange(ref _disabled, 1) == 0)
            {
                PluginLog.Disabled(logger, Id, count, failure);
            }

            return;
        }

        PluginLog.CallFailed(logger, Id, failure, consequence);
    }

    private void Succeeded() => Volatile.Write(ref _failuresInARow, 0);

    private static string Describe(Exception e) => $"{e.GetType().Name}: {e.Message}";
}
