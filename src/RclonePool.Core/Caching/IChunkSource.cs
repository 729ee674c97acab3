namespace RclonePool.Core.Caching;

/// <summary>
/// One stored chunk as the cache and the readers see it: an immutable object (its <see cref="Id"/> is never reused
/// for other bytes), cut into hash blocks of <see cref="BlockSize"/> bytes, each with a digest in the manifest.
/// </summary>
public interface IChunkSource
{
    /// <summary>The chunk's object id: names its cache file.</summary>
    string Id { get; }

    /// <summary>Plain bytes of the chunk.</summary>
    long Length { get; }

    int BlockSize { get; }

    int BlockCount => (int)((Length + BlockSize - 1) / BlockSize);

    /// <summary>Bytes of block <paramref name="block"/> (the last one may be short).</summary>
    int BlockLength(int block) => (int)Math.Min(BlockSize, Length - ((long)block * BlockSize));

    /// <summary>True when <paramref name="bytes"/> are block <paramref name="block"/> as the manifest recorded it.</summary>
    bool Verify(int block, ReadOnlySpan<byte> bytes);

    /// <summary>
    /// Opens one ranged read of <paramref name="blocks"/> from the remotes (trying the chunk's locations in turn).
    /// The token bounds the whole transfer: cancelling it aborts the read.
    /// </summary>
    Task<IBlockRun> OpenAsync(BlockRange blocks, CancellationToken cancellationToken);
}
