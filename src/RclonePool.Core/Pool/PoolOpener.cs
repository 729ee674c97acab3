using Microsoft.Extensions.Logging;
using RclonePool.Core.Config;
using RclonePool.Core.Index;
using RclonePool.Core.Remotes;
using RclonePool.Core.Resilience;

namespace RclonePool.Core.Pool;

/// <summary>
/// Opens an existing pool: reads the pool descriptors (refusing remotes of other pools), opens the index
/// under <c>manifest_cache_dir</c> and rebuilds it from the remotes when it is new, reset or was corrupt.
/// </summary>
public static class PoolOpener
{
    public static async Task<StoragePool> OpenAsync(
        PoolConfig config,
        IRemoteStore store,
        Func<string, CancellationToken, ValueTask<IPoolIndex>> openIndex,
        ILoggerFactory loggerFactory,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var remotes = PoolRemote.FromConfig(config);
        var layout = new PoolLayout(config.DataPrefix, config.ManifestPrefix);
        var identity = await new PoolDescriptors(store, layout).ReadPoolIdAsync(remotes, cancellationToken);
        var poolId = identity.PoolId;
        var index = await openIndex(IndexPath(config, poolId), cancellationToken);
        var pool = new StoragePool(config, poolId, store, index, RetryPipelines.Create(config, time), time, loggerFactory.CreateLogger("rclonepool"));
        pool.Unclaimed = identity.WithoutDescriptor;
        if (!await index.IsPopulatedAsync(cancellationToken))
        {
            await pool.RebuildIndexAsync(cancellationToken);
        }

        return pool;
    }

    /// <summary>The index file of a pool: one per pool id under <c>manifest_cache_dir</c> (a private temporary one when the cache is off).</summary>
    public static string IndexPath(PoolConfig config, string poolId)
    {
        var directory = config.EnableManifestCache
            ? ConfigLoader.ExpandHome(config.ManifestCacheDir)
            : Path.Combine(Path.GetTempPath(), $"rclonepool-index-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, $"{poolId}.sqlite");
    }
}
