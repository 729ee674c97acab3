using Microsoft.Extensions.Logging;

namespace RclonePool.Core.Index.Postgres;

/// <summary>Log messages of the PostgreSQL index (event ids 3150–3199).</summary>
internal static partial class PostgresLog
{
    [LoggerMessage(EventId = 3151, Level = LogLevel.Information, Message = "Created or upgraded the index schema {Schema} on {Server} from version {From} to {To}")]
    public static partial void Migrated(ILogger logger, string schema, string server, int from, int to);
}
