namespace RclonePool.Plugins;

/// <summary>
/// <c>chunker</c>: the chunk size of each file uploaded with fixed chunking (with <c>chunking: cdc</c> it is not asked).
/// The answer must be positive, a multiple of the pool's hash block size (256 KiB, or <c>chunk_size</c> when that is
/// smaller) and within the sizes <c>chunk_size</c> accepts; otherwise the configured size is used and the answer counts
/// as a failure (a plugin that keeps failing is disabled). Each manifest records its file's chunk size, so reads never ask.
/// </summary>
public interface IChunkerPlugin : IPlugin
{
    /// <summary>Chunk size in bytes for a file of <paramref name="fileSize"/> bytes (-1: unknown), given the configured <paramref name="chunkSize"/>.</summary>
    long ChunkSize(long fileSize, long chunkSize);
}
