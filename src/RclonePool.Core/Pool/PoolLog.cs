using Microsoft.Extensions.Logging;

namespace RclonePool.Core.Pool;

/// <summary>Log messages of the pool's file operations (event ids 2000–2099).</summary>
internal static partial class PoolLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Stored {Path} ({Size} bytes, {Chunks} chunks, revision {Revision}).")]
    public static partial void Stored(ILogger logger, string path, long size, int chunks, long revision);
}
