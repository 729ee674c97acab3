using Microsoft.Extensions.Logging;

namespace RclonePool.Core.Index.Sqlite;

/// <summary>Log messages of the SQLite index (event ids 3100–3199).</summary>
internal static partial class IndexLog
{
    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "The index {Path} was unusable ({Reason}); a copy was kept as .corrupt and it was recreated empty, and will be rebuilt from the remotes")]
    public static partial void Recreated(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Upgraded the index {Path} from schema {From} to {To}")]
    public static partial void Migrated(ILogger logger, string path, int from, int to);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "SQLite reported damage in the index {Path}: {Message}")]
    public static partial void DamageReported(ILogger logger, string path, string message);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Debug, Message = "A checkpoint of the index {Path} failed ({Message}); the next one retries")]
    public static partial void CheckpointFailed(ILogger logger, string path, string message);
}
