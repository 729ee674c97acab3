using Microsoft.Extensions.Logging;

namespace RclonePool.Server.Metrics;

/// <summary>Log messages of the metrics (event ids 5120–5139).</summary>
internal static partial class MetricsLog
{
    [LoggerMessage(EventId = 5121, Level = LogLevel.Warning, Message = "Refreshing the {What} metrics failed: {Error}; the last values are served")]
    public static partial void RefreshFailed(ILogger logger, string what, string error);
}
