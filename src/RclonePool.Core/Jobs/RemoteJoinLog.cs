using Microsoft.Extensions.Logging;

namespace RclonePool.Core.Jobs;

/// <summary>Log messages of remotes joining a running pool (<see cref="RemoteJoiner"/>; event ids 5110–5114).</summary>
internal static partial class RemoteJoinLog
{
    [LoggerMessage(EventId = 5110, Level = LogLevel.Information, Message = "{Remote} joined the pool while it runs: new data and manifests go to it from now on; the manifests of files changed since 'remote add' follow")]
    public static partial void Joined(ILogger logger, string remote);

    [LoggerMessage(EventId = 5111, Level = LogLevel.Information, Message = "{Remote} is in the config file but has no pool descriptor yet; it joins once 'rclonepool remote add {Remote}' has run")]
    public static partial void Waiting(ILogger logger, string remote);

    [LoggerMessage(EventId = 5112, Level = LogLevel.Warning, Message = "{Remote} is in the config file but belongs to pool {Other}, not {Pool}; it is left out. Remove it from 'remotes' or give a remote of this pool")]
    public static partial void OtherPool(ILogger logger, string remote, string other, string pool);

    [LoggerMessage(EventId = 5113, Level = LogLevel.Warning, Message = "{Remote} is in the config file but does not answer ({Error}); it is asked again at the next check")]
    public static partial void NotAnswering(ILogger logger, string remote, string error);

    [LoggerMessage(EventId = 5114, Level = LogLevel.Warning, Message = "Looking for remotes added to the config failed: {Reason}; the next check runs in {Interval}")]
    public static partial void Failed(ILogger logger, string reason, TimeSpan interval);
}
