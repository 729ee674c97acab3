using Microsoft.Extensions.Logging;

namespace RclonePool.Core.Caching;

/// <summary>Log messages of the read path and chunk cache (event ids 4000–4099).</summary>
internal static partial class CacheLog
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Debug, Message = "Chunk cache of {CapacityMiB} MiB in {Directory}")]
    public static partial void Started(ILogger logger, long capacityMiB, string directory);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "The chunk cache cannot use {TempDir} ({Reason}); reads go to the remotes without it")]
    public static partial void Unusable(ILogger logger, string tempDir, string reason);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Removed the chunk cache {Directory} of a process that is gone")]
    public static partial void SweptStale(ILogger logger, string directory);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Could not remove the chunk cache directory {Directory}; the next rclonepool process removes it")]
    public static partial void DirectoryNotRemoved(ILogger logger, string directory);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "Cached block {Block} of chunk {Chunk} does not match its digest (the cache file was damaged); fetching it again")]
    public static partial void CorruptBlock(ILogger logger, string chunk, int block);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "Writing chunk {Chunk} to the cache failed ({Reason}); reading it from the remotes directly")]
    public static partial void WriteFailed(ILogger logger, string chunk, string reason);

    [LoggerMessage(EventId = 4020, Level = LogLevel.Debug, Message = "Fetching blocks {From}..{To} of chunk {Chunk} ({Kind})")]
    public static partial void Fetching(ILogger logger, string chunk, int from, int to, string kind);

    [LoggerMessage(EventId = 4021, Level = LogLevel.Debug, Message = "Fetch of chunk {Chunk} failed: {Reason}")]
    public static partial void FetchFailed(ILogger logger, string chunk, string reason);

    [LoggerMessage(EventId = 4022, Level = LogLevel.Debug, Message = "Evicted chunk {Chunk} ({Bytes} bytes) from the cache")]
    public static partial void Evicted(ILogger logger, string chunk, long bytes);
}
