using System.Diagnostics;
using Microsoft.Extensions.Logging;
using RclonePool.Core.Config;
using RclonePool.Core.Errors;
using RclonePool.Core.Placement;
using RclonePool.Core.Pool;

namespace RclonePool.Core.Jobs;

/// <summary>
/// The background rebalance of <c>serve</c> (<c>auto_rebalance</c>): every <c>auto_rebalance_interval</c> seconds it
/// looks for remotes that joined (a remote of the config without a pool descriptor when the pool opened, or one appended
/// to the config file since, which 'rclonepool remote add' has since claimed: <see cref="RemoteJoiner"/>) and measures the utilisation variance of the claimed remotes (index and
/// rclone's about only, no manifest read); a rebalance starts when a remote joined or the variance is above
/// <c>rebalance_threshold</c>. One loop, so never two rebalances at once; the next check waits a whole interval after a
/// rebalance ends. Cancelling the loop cancels the rebalance cleanly (a file's move either completes or leaves the file as
/// it was). A failure is logged and the next check runs on time.
/// </summary>
public sealed class AutoRebalancer
{
    private readonly StoragePool _owner;
    private readonly PoolContext _pool;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly RemoteJoiner? _joiner;

    /// <param name="readConfig">Reads the config file as it is now, to take in remotes 'remote add' appended since the pool opened (<see cref="RemoteJoiner"/>); null: not checked.</param>
    public AutoRebalancer(StoragePool pool, ILogger logger, Func<PoolConfig>? readConfig = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        _owner = pool;
        _pool = pool.Context;
        _logger = logger;
        _joiner = readConfig is null ? null : new RemoteJoiner(pool, readConfig, logger);
        _time = time ?? TimeProvider.System;
        Interval = TimeSpan.FromSeconds(Math.Max(1, _pool.Config.AutoRebalanceInterval));
        Threshold = _pool.Config.RebalanceThreshold;
        Target = Math.Min(new RebalanceOptions().TargetVariance, Threshold);
    }

    public TimeSpan Interval { get; }

    public double Threshold { get; }

    /// <summary>The variance a rebalance aims for: the smaller of 5 % and the threshold.</summary>
    public double Target { get; }

    /// <summary>Rebalances started so far.</summary>
    public int Runs { get; private set; }

    /// <summary>Checks now, then every <see cref="Interval"/> after the last check or rebalance ends; returns when cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        AutoRebalanceLog.Started(_logger, Interval, Target, Threshold);
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
            AutoRebalanceLog.Stopped(_logger);
        }
    }

    /// <summary>One check, and the rebalance it calls for; returns the report, or null when nothing ran or it failed.</summary>
    public async Task<RebalanceReport?> CheckOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            List<string> joined = [.. await ClaimJoinedAsync(cancellationToken), .. _joiner is null ? [] : await _joiner.CheckAsync(cancellationToken)];
            var unclaimed = _pool.Unclaimed.Names.ToHashSet(StringComparer.Ordinal);
            var loads = (await _pool.Capacity.MeasureAsync(cancellationToken)).Where(l => !unclaimed.Contains(l.Remote)).ToList();
            var variance = Utilisation.Variance(loads);
            AutoRebalanceLog.Checked(_logger, variance, Threshold);
            if (joined.Count == 0 && variance <= Threshold)
            {
                return null;
            }

            var reason = joined.Count > 0 ? $"{string.Join(", ", joined)} joined" : $"above the threshold of {Threshold:0.0} %";
            AutoRebalanceLog.Starting(_logger, reason, variance);
            Runs++;
            var clock = Stopwatch.StartNew();
            var report = await new Rebalancer(_owner).RebalanceAsync(new RebalanceOptions { TargetVariance = Target }, cancellationToken);
            AutoRebalanceLog.Done(_logger, report.Moved.Count, report.Plan.Moves.Count, report.BytesMoved, clock.Elapsed, report.Plan.VarianceBefore, report.VarianceAfter, report.Failed.Count);
            return report;
        }
        catch (PoolException e)
        {
            AutoRebalanceLog.Failed(_logger, e.Kind.ToString(), e.Message, Interval);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The background rebalance must never stop the server it runs in; the next check may well succeed.
            AutoRebalanceLog.Failed(_logger, e.GetType().Name, e.Message, Interval);
            return null;
        }
    }

    /// <summary>Remotes that had no pool descriptor and carry this pool's now ('remote add' from another process): claimed, and returned.</summary>
    private async Task<List<string>> ClaimJoinedAsync(CancellationToken cancellationToken)
    {
        var descriptors = new PoolDescriptors(_pool.Store, _pool.Layout);
        var joined = new List<string>();
        foreach (var name in _pool.Unclaimed.Names)
        {
            try
            {
                if (await descriptors.ReadAsync(_pool.Remote(name), cancellationToken) is { } found && found.PoolId == _pool.PoolId)
                {
                    joined.Add(name);
                    AutoRebalanceLog.Joined(_logger, name);
                }
            }
            catch (PoolException e) when (e.Kind is PoolErrorKind.Transient or PoolErrorKind.Remote or PoolErrorKind.Environment or PoolErrorKind.NotFound)
            {
                // Not there yet; the next check asks again.
            }
        }

        if (joined.Count > 0)
        {
            _pool.Unclaimed.StillUnclaimed([.. _pool.Unclaimed.Names.Except(joined, StringComparer.Ordinal)]);
        }

        return joined;
    }
}
