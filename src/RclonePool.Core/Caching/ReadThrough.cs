namespace RclonePool.Core.Caching;

/// <summary>
/// A large read that a reader serves from the remote itself, block by block, while the blocks it has yet to read
/// are claimed in the cache (see <see cref="IChunkCache.ClaimReadThrough"/>). Alone, it writes nothing to the cache
/// and costs what a direct read costs; when another reader waits for one of its blocks, its open remote read moves
/// to a background job that lands the rest in the cache for both (this reader then reads them from the cache).
/// </summary>
public sealed class ReadThrough : IAsyncDisposable
{
    private readonly ChunkCache _cache;

    internal ReadThrough(ChunkCache cache, FillJob job)
    {
        _cache = cache;
        Job = job;
        NextBlock = job.Blocks.From;
    }

    public IChunkSource Chunk => Job.Source;

    /// <summary>The block the next <see cref="ReadNextAsync"/> returns.</summary>
    public int NextBlock { get; internal set; }

    /// <summary>The first block after the claimed ones.</summary>
    public int EndBlock => Job.Blocks.To;

    internal FillJob Job { get; }

    internal ReadThroughState State { get; set; }

    /// <summary>The reader is in the middle of reading a block from <see cref="Run"/>.</summary>
    internal bool Busy { get; set; }

    /// <summary>Another reader waits for one of the claimed blocks.</summary>
    internal bool PromotionRequested { get; set; }

    internal IBlockRun? Run { get; set; }

    /// <summary>
    /// Reads the next block from the remote into <paramref name="destination"/>, checked. False when the fetch has
    /// moved to the background (or the cache closed): the caller reads the block through the cache from now on.
    /// </summary>
    public ValueTask<bool> ReadNextAsync(Memory<byte> destination, CancellationToken cancellationToken) =>
        _cache.ReadThroughNextAsync(this, destination, cancellationToken);

    /// <summary>Gives back the blocks not read (another reader may fetch them) and closes the remote read.</summary>
    public ValueTask DisposeAsync() => _cache.EndReadThroughAsync(this);
}

internal enum ReadThroughState
{
    /// <summary>The reader fetches the claimed blocks itself.</summary>
    Inline,

    /// <summary>Writing the block just read to the cache before handing the rest to a background job.</summary>
    Promoting,

    /// <summary>A background job fetches the rest into the cache.</summary>
    Promoted,

    /// <summary>No longer claimed in the cache (no room, cache closed): the reader goes on reading the remote directly.</summary>
    Detached,

    /// <summary>Finished or given back.</summary>
    Ended,
}
