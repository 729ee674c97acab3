using Microsoft.Extensions.Logging;

namespace RclonePool.Core.Events;

/// <summary>Log messages of the event bus (event ids 4000–4009).</summary>
internal static partial class EventLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "An event subscriber failed handling {Hook}; the pool goes on")]
    public static partial void SubscriberFailed(ILogger logger, string hook, Exception exception);
}
