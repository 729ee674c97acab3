using Microsoft.Extensions.Logging;

namespace RclonePool.Core.Jobs;

/// <summary>Log messages of background health monitoring (event ids 5000–5009).</summary>
internal static partial class HealthLog
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "Health monitoring: a quick check every {Interval}")]
    public static partial void Started(ILogger logger, TimeSpan interval);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Health check: {Summary} ({Calls} remote calls)")]
    public static partial void Healthy(ILogger logger, string summary, int calls);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Health check: {Summary}. Run 'rclonepool health' for the details and 'rclonepool rebuild' to restore full redundancy")]
    public static partial void NotHealthy(ILogger logger, string summary);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Health check failed ({Kind}): {Reason}; the next one runs in {Interval}")]
    public static partial void Failed(ILogger logger, string kind, string reason, TimeSpan interval);
}
