using System.Net;
using Microsoft.Extensions.Logging;

namespace RclonePool.Server.Auth;

/// <summary>Log messages of authentication (event ids 1100-1119). They name the client address, never a secret.</summary>
internal static partial class AuthLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Authentication: {Method} ({Users} users, {Keys} keys); /healthz and /readyz are open")]
    public static partial void Enabled(ILogger logger, string method, int users, int keys);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message =
        "Authentication failed from {Address}: {What}. Further failures from this address are counted (slowed after {Slow}, refused with 429 after {Refuse}) and not logged again until it is locked out")]
    public static partial void Failed(ILogger logger, IPAddress address, string what, int slow, int refuse);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "{Address} is refused (429) for {Seconds} s after {Failures} failed authentications in a row")]
    public static partial void LockedOut(ILogger logger, IPAddress address, int seconds, int failures);
}
