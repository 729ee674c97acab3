namespace RclonePool.Core.Chunking;

/// <summary>Arithmetic of cutting a file into chunks and chunks into hash blocks.</summary>
public static class ChunkLayout
{
    /// <summary>Hash block size for new manifests: small enough that a seek reads little, large enough that manifests stay small.</summary>
    public const int DefaultBlockSize = 256 * 1024;

    public static int ChunkCount(long fileSize, long chunkSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fileSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkSize);
        var count = (fileSize + chunkSize - 1) / chunkSize;
        return checked((int)count);
    }

    /// <summary>Offset and length of chunk <paramref name="index"/>.</summary>
    public static (long Offset, long Length) Chunk(long fileSize, long chunkSize, int index)
    {
        var offset = index * chunkSize;
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(offset, fileSize, nameof(index));
        return (offset, Math.Min(chunkSize, fileSize - offset));
    }

    public static int BlockCount(long chunkLength, int blockSize) => checked((int)((chunkLength + blockSize - 1) / blockSize));

    /// <summary>Block size used for a chunk size: the default, or the chunk size when chunks are smaller.</summary>
    public static int BlockSizeFor(long chunkSize) => (int)Math.Min(DefaultBlockSize, chunkSize);

    /// <summary>
    /// Clamps a requested range to a file: returns the first byte and the byte count actually served
    /// (count -1 means "to the end").
    /// </summary>
    public static (long Offset, long Count) Clamp(long fileSize, long offset, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (offset >= fileSize)
        {
            return (fileSize, 0);
        }

        var available = fileSize - offset;
        return (offset, count < 0 ? available : Math.Min(count, available));
    }
}
