using Microsoft.Extensions.Logging;

namespace RclonePool.Server;

/// <summary>Log messages of the server host and its WebDAV layer, with stable event ids (1000-1099).</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Serving the pool over WebDAV at {Url}")]
    public static partial void Listening(ILogger logger, Uri url);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Serving the REST API at {Url}")]
    public static partial void ApiListening(ILogger logger, Uri url);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message =
        "!!! The server listens on {Host}:{Port}, beyond this machine, WITHOUT AUTHENTICATION: anyone who can reach it can read, change and delete every file in the pool. Bind to 127.0.0.1 or configure webdav_auth_method. !!!")]
    public static partial void OpenWithoutAuthentication(ILogger logger, string host, int port);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Error, Message = "{Method} {Path}: stored data failed verification: {Reason}")]
    public static partial void IntegrityFailure(ILogger logger, string method, string path, string reason, Exception exception);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Warning, Message = "{Method} {Path}: the pool failed ({Kind}): {Reason}")]
    public static partial void PoolFailure(ILogger logger, string method, string path, string kind, string reason);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Error, Message = "{Method} {Path}: unexpected failure")]
    public static partial void UnexpectedFailure(ILogger logger, string method, string path, Exception exception);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Debug, Message = "{Method} {Path}: the client went away")]
    public static partial void ClientAborted(ILogger logger, string method, string path);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Warning, Message = "{Method} {Path}: failed after the response started ({Reason}); the response ends short and the connection closes")]
    public static partial void FailedMidResponse(ILogger logger, string method, string path, string reason);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Debug, Message = "{Method} {Target}: refused ({Status}): {Reason}")]
    public static partial void Refused(ILogger logger, string method, string target, int status, string reason);

    [LoggerMessage(EventId = 1021, Level = LogLevel.Debug, Message = "WebDAV request paths warmed up on a scratch pool in {Milliseconds:0} ms")]
    public static partial void WarmedUp(ILogger logger, double milliseconds);

    [LoggerMessage(EventId = 1022, Level = LogLevel.Debug, Message = "Warming up the WebDAV request paths failed ({Reason}); the first requests compile them instead")]
    public static partial void WarmUpFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1023, Level = LogLevel.Debug, Message = "Loopback warm-up requests answered {Statuses} in {Milliseconds:0} ms")]
    public static partial void LoopbackWarmedUp(ILogger logger, string statuses, double milliseconds);
}
