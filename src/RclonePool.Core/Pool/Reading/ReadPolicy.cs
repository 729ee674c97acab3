using RclonePool.Core.Config;

namespace RclonePool.Core.Pool.Reading;

/// <summary>
/// How a read stream decides what to fetch (docs/read-path.md). A block that is cached is read from the cache. On a
/// miss, a small chunk is fetched whole and a short read fetches just the blocks it covers, through the cache; a
/// long read fetches its blocks itself (read-through: nothing is staged through the cache unless another reader
/// needs the same blocks). A sequential stream whose remote is slow prefetches the next chunks of its range.
/// </summary>
public sealed record ReadPolicy
{
    /// <summary>A stream counts as sequential once it has handed out this many bytes.</summary>
    public long SequentialAfterBytes { get; init; } = 1024 * 1024;

    /// <summary>Chunks up to this size are fetched whole on a miss: one request costs more than the extra bytes.</summary>
    public long WholeChunkMaxBytes { get; init; } = 2 * 1024 * 1024;

    /// <summary>Reads needing at least this much of a chunk fetch it themselves (read-through) rather than through the cache.</summary>
    public long ReadThroughMinBytes { get; init; } = 1024 * 1024;

    /// <summary>Chunks fetched ahead of a sequential stream into the cache; 0 turns prefetching off.</summary>
    public int PrefetchChunks { get; init; }

    /// <summary>
    /// Prefetch only when the remote delivers this stream's blocks slower than this (bytes per second, measured over
    /// windows of <see cref="RateWindowBytes"/>): staging data through the cache costs more CPU than it saves when the
    /// remote is about as fast as the cache (a local disk), and pays off many times over across a network, where
    /// one stream rarely gets 100 MiB/s and every chunk starts with a round trip.
    /// </summary>
    public long PrefetchBelowBytesPerSecond { get; init; } = 100L * 1024 * 1024;

    /// <summary>Bytes read from the remote per measurement of its rate.</summary>
    public long RateWindowBytes { get; init; } = 8L * 1024 * 1024;

    /// <summary>Straight to the remotes: no whole-chunk fetches beyond the range, no prefetch (downloads, which fetch chunks in parallel anyway).</summary>
    public static ReadPolicy Direct { get; } = new() { WholeChunkMaxBytes = 0, SequentialAfterBytes = long.MaxValue, ReadThroughMinBytes = 0 };

    public static ReadPolicy FromConfig(PoolConfig config) => new()
    {
        PrefetchChunks = config.EnablePrefetch ? config.PrefetchChunks : 0,
    };
}
