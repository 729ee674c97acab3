namespace RclonePool.Core.Caching;

/// <summary>The cache when <c>enable_chunk_cache</c> is false or its size is 0: holds nothing, so readers read the remotes.</summary>
public sealed class NullChunkCache : IChunkCache
{
    public static readonly NullChunkCache Instance = new();

    private NullChunkCache()
    {
    }

    public bool IsEnabled => false;

    public ChunkCacheStatistics Statistics => ChunkCacheStatistics.Empty;

    public ValueTask<bool> ReadBlockAsync(IChunkSource chunk, int block, BlockRange fetch, Memory<byte> destination, CancellationToken lifetime, CancellationToken cancellationToken) =>
        ValueTask.FromResult(false);

    public ReadThrough? ClaimReadThrough(IChunkSource chunk, int block, BlockRange blocks, CancellationToken lifetime) => null;

    public bool Prefetch(IChunkSource chunk, BlockRange blocks, CancellationToken lifetime) => false;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
