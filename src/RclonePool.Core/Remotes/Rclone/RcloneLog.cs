using Microsoft.Extensions.Logging;

namespace RclonePool.Core.Remotes.Rclone;

/// <summary>Log messages of the rclone transport (event ids 3000–3099). Credentials never appear in them.</summary>
internal static partial class RcloneLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "rclone {Command} started (pid {Pid})")]
    public static partial void ProcessStarted(ILogger logger, int pid, string command);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "rclone[{Pid}]: {Line}")]
    public static partial void ProcessOutput(ILogger logger, int pid, string line);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "rclone (pid {Pid}) did not exit after being killed")]
    public static partial void ProcessDidNotExit(ILogger logger, int pid);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Debug, Message = "rclone rcd (pid {Pid}) serving on {Address}")]
    public static partial void DaemonStarted(ILogger logger, int pid, Uri address);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "rclone rcd (pid {Pid}) exited unexpectedly (code {ExitCode}): {LastLine}; it is restarted on next use")]
    public static partial void DaemonExited(ILogger logger, int pid, int exitCode, string lastLine);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "rclone rcd (pid {Pid}) does not answer ({Reason}); replacing it")]
    public static partial void DaemonUnhealthy(ILogger logger, int pid, string reason);

    [LoggerMessage(EventId = 3015, Level = LogLevel.Warning, Message = "The health check of rclone rcd failed: {Reason}")]
    public static partial void HealthCheckFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 3016, Level = LogLevel.Debug, Message = "rclone rcd did not start ahead of its first call ({Reason}); that call starts it")]
    public static partial void EarlyStartFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Debug, Message = "rclone rcd (pid {Pid}) stopped")]
    public static partial void DaemonStopped(ILogger logger, int pid);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Warning, Message = "setpriv (util-linux) was not found: rclone children are stopped on exit and on signals, but would outlive a SIGKILL of this process")]
    public static partial void NoParentDeathSignal(ILogger logger);

    [LoggerMessage(EventId = 3020, Level = LogLevel.Debug, Message = "Reading {Remote} through the rclone command: its name cannot be part of a URL path of the rc file server")]
    public static partial void ReadThroughCommand(ILogger logger, string remote);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Debug, Message = "The {Operation} call got no answer from the daemon ({Reason}); sending it once more (daemon replaced: {Replaced})")]
    public static partial void Resending(ILogger logger, string operation, bool replaced, string reason);
}
