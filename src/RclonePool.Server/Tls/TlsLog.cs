using Microsoft.Extensions.Logging;

namespace RclonePool.Server.Tls;

/// <summary>Log messages of HTTPS (event ids 1120-1139).</summary>
internal static partial class TlsLog
{
    [LoggerMessage(EventId = 1120, Level = LogLevel.Information, Message = "HTTPS certificate {Subject}, valid until {NotAfter:yyyy-MM-dd}, SHA-256 fingerprint {Fingerprint}")]
    public static partial void Serving(ILogger logger, string subject, DateTime notAfter, string fingerprint);

    [LoggerMessage(EventId = 1121, Level = LogLevel.Information, Message = "HTTPS certificate files changed on disk; new connections use {Subject}, SHA-256 fingerprint {Fingerprint}")]
    public static partial void Reloaded(ILogger logger, string subject, string fingerprint);

    [LoggerMessage(EventId = 1122, Level = LogLevel.Error, Message = "HTTPS certificate files changed on disk but cannot be used, the previous certificate stays in use: {Reason}")]
    public static partial void ReloadFailed(ILogger logger, string reason);
}
