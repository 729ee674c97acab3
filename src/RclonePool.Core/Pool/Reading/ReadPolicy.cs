using RclonePool.Core.Config;

namespace RclonePool.Core.Pool.Reading;

/// <summary>
/// How a read stream decides what to fetch (docs/read-path.md). Per chunk miss: a small chunk is fetched whole; a
/// stream that has shown it reads sequentially fetches the rest of the chunk; any other read fetches only the blocks
/// its range covers. A sequential stream also prefetches the next <see cref="PrefetchChunks"/> chunks of its range.
/// </summary>
public sealed record ReadPolicy
{
    /// <summary>A stream counts as sequential once it has handed out this many bytes.</summary>
    public long SequentialAfterBytes { get; init; } = 1024 * 1024;

    /// <summary>Chunks up to this size are fetched whole on a miss: one request costs more than the extra bytes.</summary>
    public long WholeChunkMaxBytes { get; init; } = 2 * 1024 * 1024;

    /// <summary>Chunks fetched ahead of a sequential stream into the cache; 0 turns prefetching off.</summary>
    public int PrefetchChunks { get; init; }

    /// <summary>Straight to the remotes: no whole-chunk fetches beyond the range, no prefetch (downloads, which fetch chunks in parallel anyway).</summary>
    public static ReadPolicy Direct { get; } = new() { WholeChunkMaxBytes = 0, SequentialAfterBytes = long.MaxValue };

    public static ReadPolicy FromConfig(PoolConfig config) => new()
    {
        PrefetchChunks = config.EnablePrefetch ? config.PrefetchChunks : 0,
    };
}
