namespace RclonePool.Core.Caching;

/// <summary>A snapshot of the chunk cache's counters since it started.</summary>
public sealed record ChunkCacheStatistics
{
    public static readonly ChunkCacheStatistics Empty = new();

    public long CapacityBytes { get; init; }

    /// <summary>Bytes of blocks cached or being fetched (the part of the capacity in use).</summary>
    public long CachedBytes { get; init; }

    public int Chunks { get; init; }

    /// <summary>Blocks served from a cache file without waiting for a fetch.</summary>
    public long Hits { get; init; }

    /// <summary>Blocks a reader had to fetch or wait for.</summary>
    public long Misses { get; init; }

    /// <summary>Ranged reads of the remotes started by the cache (demand and prefetch).</summary>
    public long Fetches { get; init; }

    public long FetchedBytes { get; init; }

    /// <summary>Blocks large reads fetched for themselves (read-through), not written to the cache.</summary>
    public long ReadThroughBlocks { get; init; }

    /// <summary>Read-throughs turned into a shared background fetch because another reader needed their blocks.</summary>
    public long Promotions { get; init; }

    /// <summary>Fetches started ahead of the reader.</summary>
    public long Prefetches { get; init; }

    public long Evictions { get; init; }

    /// <summary>Blocks read back from a cache file that did not match their digest (then fetched again).</summary>
    public long CorruptBlocks { get; init; }

    /// <summary>Reads the cache declined (no room, disk failing), served from the remotes directly.</summary>
    public long Bypasses { get; init; }

    /// <summary>Readers waiting right now for a block another fetch is bringing (a gauge, not a counter).</summary>
    public int ReadersWaiting { get; init; }
}
