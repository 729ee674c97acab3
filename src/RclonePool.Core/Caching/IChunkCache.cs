namespace RclonePool.Core.Caching;

/// <summary>
/// A cache of verified chunk blocks shared by every reader of the process. <see cref="ChunkCache"/> keeps them in
/// files under <c>temp_dir</c>; <see cref="NullChunkCache"/> keeps nothing (readers go to the remotes).
/// </summary>
public interface IChunkCache : IAsyncDisposable
{
    /// <summary>False for the null cache: nothing is ever served or prefetched.</summary>
    bool IsEnabled { get; }

    ChunkCacheStatistics Statistics { get; }

    /// <summary>
    /// Fills <paramref name="destination"/> (exactly the block's length) with block <paramref name="block"/> of
    /// <paramref name="chunk"/>, checked against its digest. A cached block is read from its file; a missing one is
    /// fetched with the blocks of <paramref name="fetch"/> that are missing too, in one ranged read, unless another
    /// reader is fetching it already, in which case this one waits for that fetch. The fetches this call starts run
    /// until <paramref name="lifetime"/> is cancelled (the reader went away) or they finish.
    /// Returns false when the cache cannot serve the block now (disabled, full of chunks in use, failing disk):
    /// the caller reads the remote itself. Remote and integrity failures of the fetch are thrown.
    /// </summary>
    ValueTask<bool> ReadBlockAsync(IChunkSource chunk, int block, BlockRange fetch, Memory<byte> destination, CancellationToken lifetime, CancellationToken cancellationToken);

    /// <summary>
    /// For a large read: when block <paramref name="block"/> is missing, claims it and the missing blocks after it
    /// within <paramref name="blocks"/> for the caller to read from the remote itself, without writing them to the
    /// cache. Another reader that needs one of them waits, and the fetch is then promoted to a shared background
    /// fetch into the cache. Null when the block is cached or being fetched (use <see cref="ReadBlockAsync"/>) or
    /// the cache is off.
    /// </summary>
    ReadThrough? ClaimReadThrough(IChunkSource chunk, int block, BlockRange blocks, CancellationToken lifetime);

    /// <summary>
    /// Starts fetching the missing blocks of <paramref name="blocks"/> into the cache in the background, until
    /// <paramref name="lifetime"/> is cancelled. Never evicts blocks prefetched for a reader that has not read them
    /// yet, and keeps prefetched data to half the cache. Returns false when there is no room now.
    /// </summary>
    bool Prefetch(IChunkSource chunk, BlockRange blocks, CancellationToken lifetime);
}
