using Microsoft.Extensions.Logging;

namespace RclonePool.Server.Users;

/// <summary>Log messages of multi-user serving (event ids 1700-1709).</summary>
internal static partial class UserLog
{
    [LoggerMessage(EventId = 1700, Level = LogLevel.Warning, Message = "The pool of user '{User}' could not be opened (the next request tries again): {Reason}")]
    public static partial void OpenFailed(ILogger logger, string user, string reason);

    [LoggerMessage(EventId = 1701, Level = LogLevel.Information, Message = "Background work of user '{User}' started on their pool: {Work}")]
    public static partial void BackgroundWorkStarted(ILogger logger, string user, string work);
}
