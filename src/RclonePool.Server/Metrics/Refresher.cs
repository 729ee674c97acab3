namespace RclonePool.Server.Metrics;

/// <summary>
/// Runs an expensive refresh at most once per <c>interval</c>, started by a scrape; the scrape waits for it at most
/// <c>wait</c> and otherwise goes on with the last values (a dead remote never holds a scrape). One refresh at a time.
/// </summary>
internal sealed class Refresher(Func<CancellationToken, Task> refresh, TimeSpan interval, TimeProvider time)
{
    private readonly Lock _lock = new();
    private Task? _running;
    private long _startedAt;

    public async Task RefreshAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        Task running;
        lock (_lock)
        {
            if (_running is null || (_running.IsCompleted && time.GetElapsedTime(_startedAt) >= interval))
            {
                _startedAt = time.GetTimestamp();
                _running = Task.Run(() => refresh(CancellationToken.None), CancellationToken.None);
            }

            running = _running;
        }

        try
        {
            await running.WaitAsync(wait, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Still running: this scrape answers with the last values, a later one gets the new ones.
        }
    }
}
