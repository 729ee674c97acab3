using Microsoft.Extensions.Logging;

namespace RclonePool.Server.Live;

/// <summary>Log messages of the WebSocket feed (event ids 5100–5119).</summary>
internal static partial class LiveLog
{
    [LoggerMessage(EventId = 5101, Level = LogLevel.Debug, Message = "WebSocket client {Client} connected from {Address}")]
    public static partial void Connected(ILogger logger, long client, string? address);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Debug, Message = "WebSocket client {Client} left ({Status})")]
    public static partial void Left(ILogger logger, long client, string status);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "WebSocket client {Client} fell too far behind ({Capacity} messages waiting); it is closed, the pool goes on")]
    public static partial void TooFarBehind(ILogger logger, long client, int capacity);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Debug, Message = "WebSocket client {Client} failed: {Error}")]
    public static partial void Failed(ILogger logger, long client, string error);
}
