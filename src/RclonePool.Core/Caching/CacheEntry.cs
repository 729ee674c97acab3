namespace RclonePool.Core.Caching;

/// <summary>
/// One chunk in the cache: a sparse file of the chunk's length holding the blocks fetched so far, and the state of
/// every block. All fields are guarded by the cache's lock; the file is read and written outside it, at offsets of
/// blocks whose state says who may touch them (a Filling block only by its job, a Present block by anyone pinned).
/// </summary>
internal sealed class CacheEntry
{
    public CacheEntry(IChunkSource chunk, string fileName)
    {
        Id = chunk.Id;
        Length = chunk.Length;
        BlockSize = chunk.BlockSize;
        FileName = fileName;
        var blocks = chunk.BlockCount;
        States = new BlockState[blocks];
        Jobs = new FillJob?[blocks];
        Node = new LinkedListNode<CacheEntry>(this);
    }

    public string Id { get; }

    public long Length { get; }

    public int BlockSize { get; }

    public string FileName { get; }

    public BlockState[] States { get; }

    /// <summary>The job fetching each Filling block; null otherwise.</summary>
    public FillJob?[] Jobs { get; }

    /// <summary>The cache file, created with the first fetch.</summary>
    public FileStream? File { get; set; }

    /// <summary>Bytes of Present and Filling blocks: this entry's share of the capacity.</summary>
    public long Bytes { get; set; }

    /// <summary>Readers in the middle of reading the file, plus running jobs. A pinned entry is not evicted.</summary>
    public int Pins { get; set; }

    /// <summary>Filled by a prefetch that no reader has read from yet, for the reader whose lifetime this is.</summary>
    public CancellationToken PrefetchedFor { get; set; }

    public bool Unread { get; set; }

    /// <summary>Left the cache; its file is deleted once nothing uses it.</summary>
    public bool Removed { get; set; }

    public LinkedListNode<CacheEntry> Node { get; }

    /// <summary>Unread prefetched data of a reader that is still there: prefetches never evict it.</summary>
    public bool IsProtected => Unread && !PrefetchedFor.IsCancellationRequested;

    public int BlockLength(int block) => (int)Math.Min(BlockSize, Length - ((long)block * BlockSize));

    public bool Fits(IChunkSource chunk) => chunk.Length == Length && chunk.BlockSize == BlockSize;
}

internal enum BlockState : byte
{
    Absent,
    Filling,
    Present,
}
