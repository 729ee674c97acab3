using RclonePool.Core.Jobs;
using RclonePool.Core.Paths;

namespace RclonePool.Server.Api;

/// <summary>The last health check the API ran or learnt of (a health job, <c>GET health</c>), with when it ran.</summary>
internal sealed class LastHealth(TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _checking = new(1, 1);
    private Checked? _last;

    public (HealthReport Report, DateTimeOffset At)? Latest => Volatile.Read(ref _last) is { } last ? (last.Report, last.At) : null;

    public void Record(HealthReport report) => Volatile.Write(ref _last, new Checked(report, time.GetUtcNow()));

    /// <summary>The last result, running a quick check of the whole pool first when none ran yet (one at a time).</summary>
    public async Task<(HealthReport Report, DateTimeOffset At)> GetOrCheckAsync(HealthChecker checker, CancellationToken cancellationToken)
    {
        if (Latest is { } last)
        {
            return last;
        }

        await _checking.WaitAsync(cancellationToken);
        try
        {
            if (Latest is { } checkedMeanwhile)
            {
                return checkedMeanwhile;
            }

            Record(await checker.CheckAsync(PoolPath.Root, new HealthOptions(), cancellationToken));
            return Latest!.Value;
        }
        finally
        {
            _checking.Release();
        }
    }

    /// <summary>A file's health as the API names it: intact, degraded, damaged, or unknown when no check covered it.</summary>
    public string FileState(string path, long revision)
    {
        var file = Volatile.Read(ref _last)?.Report.Files.FirstOrDefault(f => string.Equals(f.Path, path, StringComparison.Ordinal));
        return file is null || file.Revision != revision ? "unknown" : file.State switch
        {
            HealthState.Healthy => "intact",
            HealthState.Degraded or HealthState.Critical => "degraded",
            _ => "damaged",
        };
    }

    /// <summary>The pool's state as <c>GET status</c> names it: healthy, degraded, critical, or unknown before any check.</summary>
    public string PoolState() => Volatile.Read(ref _last)?.Report.State switch
    {
        null => "unknown",
        HealthState.Healthy => "healthy",
        HealthState.Degraded => "degraded",
        _ => "critical",
    };

    public void Dispose() => _checking.Dispose();

    /// <summary>A result and when it was taken, swapped as one reference.</summary>
    private sealed record Checked(HealthReport Report, DateTimeOffset At);
}
