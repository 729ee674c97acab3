using Microsoft.Extensions.Logging;

namespace RclonePool.Core.Resilience;

/// <summary>Log messages about remotes going away and coming back (event ids 3200–3299).</summary>
internal static partial class RemoteLog
{
    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning,
        Message = "{Remote} {Why} ({Error}); it is skipped for {Seconds:0} s: uploads go to the other remotes, reads to other copies.")]
    public static partial void Skipped(ILogger logger, string remote, string why, string error, double seconds);
}
