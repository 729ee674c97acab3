using Microsoft.Extensions.Logging;

namespace RclonePool.Core.Pool;

/// <summary>Log messages of the pool's file operations (event ids 2000–2099).</summary>
internal static partial class PoolLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Stored {Path} ({Size} bytes, {Chunks} chunks, revision {Revision}).")]
    public static partial void Stored(ILogger logger, string path, long size, int chunks, long revision);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Debug, Message = "Uploading {Path} ({Size} bytes) with up to {Workers} chunk transfers at once.")]
    public static partial void Uploading(ILogger logger, string path, long size, int workers);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Debug, Message = "Chunk {Chunk} of {Path} stored ({Bytes} bytes).")]
    public static partial void ChunkStored(ILogger logger, string path, int chunk, long bytes);
}
