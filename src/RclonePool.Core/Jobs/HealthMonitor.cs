using Microsoft.Extensions.Logging;
using RclonePool.Core.Errors;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;

namespace RclonePool.Core.Jobs;

/// <summary>
/// Background health monitoring (<c>enable_health_monitoring</c>): a quick health check of the whole pool at start
/// and then every <c>health_check_interval</c> seconds, until cancelled. Each check publishes HEALTH_CHECKED (see
/// <see cref="HealthChecker.CheckAsync"/>) and logs one line: a warning when something is not healthy. A check that
/// fails (no remote answers) is logged and the next one runs on time.
/// </summary>
public sealed class HealthMonitor
{
    private readonly HealthChecker _checker;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public HealthMonitor(StoragePool pool, ILogger logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        _checker = new HealthChecker(pool);
        _logger = logger;
        _time = time ?? TimeProvider.System;
        Interval = TimeSpan.FromSeconds(Math.Max(1, pool.Config.HealthCheckInterval));
    }

    public TimeSpan Interval { get; }

    /// <summary>The report of the last check that completed; null before the first.</summary>
    public HealthReport? Last { get; private set; }

    /// <summary>Checks now, then every <see cref="Interval"/>; returns when <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        HealthLog.Started(_logger, Interval);
        try
        {
            while (true)
            {
                await CheckOnceAsync(cancellationToken);
                await Task.Delay(Interval, _time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One quick check of the whole pool, logged; null when it failed.</summary>
    public async Task<HealthReport?> CheckOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            var report = await _checker.CheckAsync(PoolPath.Root, new HealthOptions(), cancellationToken);
            Last = report;
            if (report.Healthy)
            {
                HealthLog.Healthy(_logger, report.Summary(), report.RemoteCalls);
            }
            else
            {
                HealthLog.NotHealthy(_logger, report.Summary());
            }

            return report;
        }
        catch (PoolException e)
        {
            HealthLog.Failed(_logger, e.Kind.ToString(), e.Message, Interval);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Monitoring must never stop the server it runs in; the next check may well succeed.
            HealthLog.Failed(_logger, e.GetType().Name, e.Message, Interval);
            return null;
        }
    }
}
