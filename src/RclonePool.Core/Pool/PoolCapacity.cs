using Microsoft.Extensions.Logging;
using RclonePool.Core.Config;
using RclonePool.Core.Errors;
using RclonePool.Core.Index;
using RclonePool.Core.Placement;
using RclonePool.Core.Remotes;
using RclonePool.Core.Resilience;

namespace RclonePool.Core.Pool;

/// <summary>
/// Free space and stored bytes of every remote, and the placement sessions built on them. Free space comes from
/// rclone's about, asked at most every <see cref="AboutCacheTime"/> (placement counts the bytes in flight on top), so a
/// stream of small uploads does not cost a round of about calls each. Each remote carries its <c>remote_weights</c>
/// weight, <c>remote_priorities</c> priority, and whether <c>draining_remotes</c> names it (then it takes nothing new).
/// </summary>
internal sealed class PoolCapacity(
    IReadOnlyList<PoolRemote> remotes, PoolConfig config, IRemoteStore store, IPoolIndex index, IBalancer balancer, RemoteCircuitBreaker breaker,
    UnclaimedRemotes unclaimed, TimeProvider time, ILogger logger, Task<RemoteUsage?[]?>? measuredAhead = null) : IDisposable
{
    private readonly Dictionary<string, double> _weights = ByRemote(config.RemoteWeights);
    private readonly Dictionary<string, int> _priorities = ByRemote(config.RemotePriorities);
    private readonly HashSet<string> _draining = [.. config.DrainingRemotes.Select(ConfigValidator.NormaliseRemote)];

    private static readonly TimeSpan AboutCacheTime = TimeSpan.FromSeconds(10);
    private readonly SemaphoreSlim _aboutLock = new(1, 1);
    private RemoteUsage?[]? _abouts;
    private long _aboutsTaken;

    public async Task<IReadOnlyList<RemoteLoad>> MeasureAsync(CancellationToken cancellationToken)
    {
        var stored = await index.StoredBytesByRemoteAsync(cancellationToken);
        var abouts = await AboutAllAsync(cancellationToken);
        // A remote that joined after the free space was read counts as unknown until the next read.
        return [.. remotes.Select((r, i) => new RemoteLoad(r.Name, i < abouts.Length ? abouts[i]?.Free : null, stored.GetValueOrDefault(r.Name), 0)
        {
            Weight = _weights.GetValueOrDefault(ConfigValidator.NormaliseRemote(r.Name), 1.0),
            Priority = _priorities.GetValueOrDefault(ConfigValidator.NormaliseRemote(r.Name)),
            Draining = _draining.Contains(ConfigValidator.NormaliseRemote(r.Name)),
        })];
    }

    /// <summary>What rclone's about says of each remote, in config order (null where it cannot tell or did not answer).</summary>
    public async Task<IReadOnlyList<RemoteUsage?>> UsageAsync(CancellationToken cancellationToken) => await AboutAllAsync(cancellationToken);

    /// <summary>Bytes the pool can still take (sum over remotes of free space), or null when some remote cannot tell.</summary>
    public async ValueTask<long?> FreeBytesAsync(CancellationToken cancellationToken)
    {
        var loads = await MeasureAsync(cancellationToken);
        return loads.Any(l => l.Free is null) ? null : loads.Sum(l => Math.Max(0, l.Free!.Value));
    }

    /// <summary>
    /// A placement session for one operation: the balancer over the measured remotes; unclaimed remotes and remotes whose
    /// circuit is open (failing, skipped for their cool-down) excluded.
    /// </summary>
    public async Task<PlacementSession> NewPlacementAsync(CancellationToken cancellationToken)
    {
        var placement = new PlacementSession(await MeasureAsync(cancellationToken), balancer);
        foreach (var remote in unclaimed.Names)
        {
            placement.Exclude(remote);
        }

        foreach (var remote in remotes.Where(r => breaker.IsOpen(r.Storage)))
        {
            placement.Exclude(remote.Name);
        }

        return placement;
    }

    private async Task<RemoteUsage?[]> AboutAllAsync(CancellationToken cancellationToken)
    {
        await _aboutLock.WaitAsync(cancellationToken);
        try
        {
            if (_abouts is not null && _abouts.Length == remotes.Count && time.GetElapsedTime(_aboutsTaken) < AboutCacheTime)
            {
                return _abouts;
            }

            if (Interlocked.Exchange(ref measuredAhead, null) is { } ahead && await ahead is { } early && early.Length == remotes.Count)
            {
                (_abouts, _aboutsTaken) = (early, time.GetTimestamp());
                return early;
            }

            _abouts = await MeasureFreeSpaceAsync(cancellationToken);
            _aboutsTaken = time.GetTimestamp();
            return _abouts;
        }
        finally
        {
            _aboutLock.Release();
        }
    }

    /// <summary>
    /// The free space of <paramref name="remotes"/> asked before the pool is open (<see cref="PoolBuilder.MeasureFreeSpaceAhead"/>),
    /// as the first placement would ask it; null when that was cancelled or failed as a whole (the placement then asks
    /// again). Never faults.
    /// </summary>
    public static async Task<RemoteUsage?[]?> MeasureAheadAsync(IRemoteStore store, IReadOnlyList<PoolRemote> remotes, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            return await AskFreeSpaceAsync(store, remotes, logger, cancellationToken);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }

    private Task<RemoteUsage?[]> MeasureFreeSpaceAsync(CancellationToken cancellationToken) => AskFreeSpaceAsync(store, remotes, logger, cancellationToken);

    /// <summary>rclone's about of each remote, in order; a remote that cannot answer is logged and left unknown (null).</summary>
    private static async Task<RemoteUsage?[]> AskFreeSpaceAsync(IRemoteStore store, IReadOnlyList<PoolRemote> remotes, ILogger logger, CancellationToken cancellationToken)
    {
        return await Task.WhenAll(remotes.ToArray().Select(async r =>
        {
            try
            {
                return await store.AboutAsync(r.Name, cancellationToken);
            }
            catch (PoolException e) when (e.Kind is PoolErrorKind.Transient or PoolErrorKind.Remote)
            {
                logger.LogWarning("Free space of {Remote} is unknown ({Error}).", r.Name, e.Message);
                return null;
            }
        }));
    }

    public void Dispose() => _aboutLock.Dispose();

    private static Dictionary<string, T> ByRemote<T>(Dictionary<string, T> map) =>
        map.ToDictionary(p => ConfigValidator.NormaliseRemote(p.Key), p => p.Value, StringComparer.Ordinal);
}
