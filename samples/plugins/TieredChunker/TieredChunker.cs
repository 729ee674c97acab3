using System.Globalization;
using RclonePool.Plugins;

namespace TieredChunker;

/// <summary>
/// <c>chunker:tiered</c>: files of at least <c>large_from</c> bytes (setting; default 1 GiB) are cut into chunks of
/// <c>large_chunk_size</c> bytes (setting; default four times chunk_size), smaller ones and streams of unknown length at
/// chunk_size: fewer objects for big files. A sample of the chunker contract.
/// </summary>
public sealed class TieredChunker : IChunkerPlugin
{
    private long _largeFrom = 1L << 30;
    private long? _largeChunkSize;

    public PluginMetadata Metadata { get; } = new("tiered", "1.0.0", "rclonepool samples", "Larger chunks for large files (a sample chunker).", PluginType.Chunker);

    public void Initialize(IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.TryGetValue("large_from", out var from))
        {
            _largeFrom = long.Parse(from, CultureInfo.InvariantCulture);
        }

        if (settings.TryGetValue("large_chunk_size", out var size))
        {
            _largeChunkSize = long.Parse(size, CultureInfo.InvariantCulture);
        }
    }

    public long ChunkSize(long fileSize, long chunkSize) => fileSize >= _largeFrom ? _largeChunkSize ?? (4 * chunkSize) : chunkSize;
}
