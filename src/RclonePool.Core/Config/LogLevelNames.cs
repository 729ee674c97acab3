using Microsoft.Extensions.Logging;

namespace RclonePool.Core.Config;

/// <summary>The values of <c>log_level</c> and the .NET level each one means: its namesake.</summary>
public static class LogLevelNames
{
    /// <summary>
    /// DEBUG → Debug, INFO → Information (one line per file stored, moved, deleted or restored), WARNING → Warning,
    /// ERROR → Error, CRITICAL → Critical, in any case; an unknown value (refused by the config's validation) → Information.
    /// </summary>
    public static LogLevel ToLogLevel(string? name) => name?.ToUpperInvariant() switch
    {
        "DEBUG" => LogLevel.Debug,
        "INFO" => LogLevel.Information,
        "WARNING" => LogLevel.Warning,
        "ERROR" => LogLevel.Error,
        "CRITICAL" => LogLevel.Critical,
        _ => LogLevel.Information,
    };
}
