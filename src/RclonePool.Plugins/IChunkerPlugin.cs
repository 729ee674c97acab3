namespace RclonePool.Plugins;

/// <summary><c>chunker</c>: the chunk size of a file. The contract is defined; this version of rclonepool does not call it yet.</summary>
public interface IChunkerPlugin : IPlugin
{
    /// <summary>Chunk size in bytes for a file of <paramref name="fileSize"/> bytes (-1: unknown), given the configured <paramref name="chunkSize"/>.</summary>
    long ChunkSize(long fileSize, long chunkSize);
}
