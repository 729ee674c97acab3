using RclonePool.Core.Pool;

namespace RclonePool.Server.Health;

/// <summary>
/// Whether the served pool can answer: it is open with its index loaded (a server only starts on an open pool), and
/// no more remotes are failing (their circuit open) than its redundancy tolerates: none for <c>none</c>,
/// <c>replication_factor</c> − 1 for replication, <c>parity_parity_shards</c> for parity and hybrid.
/// </summary>
internal static class PoolReadiness
{
    public static bool IsReady(IPoolFileSystem pool)
    {
        if (pool is not StoragePool storage)
        {
            return true; // a pool without remotes (in memory) is ready once open
        }

        var config = storage.Config;
        var tolerated = config.RedundancyMode switch
        {
            "replication" => config.ReplicationFactor - 1,
            "parity" or "hybrid" => config.ParityParityShards,
            _ => 0,
        };
        var failing = storage.Remotes.Count(r => storage.CircuitBreaker.IsOpen(r.Name) || storage.CircuitBreaker.IsOpen(r.Storage));
        return failing <= tolerated;
    }
}
