using System.Text.RegularExpressions;
using RclonePool.Core.Errors;

namespace RclonePool.Core.Remotes.Rclone;

/// <summary>
/// Turns rclone's failures (rc error replies, command exit codes and stderr, broken connections) into
/// <see cref="PoolException"/>s: one place that decides the kind and writes a message naming the object, the
/// remote and what to do. Both transports use it, so they classify alike.
/// </summary>
internal static partial class RcloneErrors
{
    // rclone's exit codes (lib/exitcode): 2 usage, 3 directory not found, 4 file not found, 5 retryable.
    private const int ExitUsage = 2;
    private const int ExitDirNotFound = 3;
    private const int ExitFileNotFound = 4;
    private const int ExitRetry = 5;

    private static readonly string[] ConfigSectionMissing = ["didn't find section in config file"];
    private static readonly string[] UnknownBackend = ["didn't find backend called", "unknown backend"];
    private static readonly string[] EncryptedConfig = ["unable to decrypt configuration", "couldn't decrypt configuration", "rclone_config_pass"];
    private static readonly string[] NotFoundText =
        ["object not found", "directory not found", "file does not exist", "no such file or directory", "doesn't exist", "not found"];

    private static readonly string[] TransientText =
    [
        "connection refused", "connection reset", "broken pipe", "i/o timeout", "timeout", "timed out", "deadline exceeded",
        "temporar", "too many requests", "rate limit", "ratelimit", "internal server error", "bad gateway", "service unavailable",
        "gateway timeout", "unexpected eof", "no route to host", "network is unreachable", "tls handshake", "server misbehaving",
        "no such host", "try again", "connection closed", "http2: ", ": eof",
    ];

    private static readonly string[] QuotaText =
        ["quota", "no space left", "insufficient storage", "insufficient space", "storage full", "not enough space", "disk full"];

    private static readonly string[] AccessText =
    [
        "permission denied", "access denied", "accessdenied", "forbidden", "unauthorized", "unauthenticated", "invalid_grant",
        "token expired", "expired token", "invalid credentials", "authentication", "read-only file system", "operation not permitted",
    ];

    /// <summary>A failed rclone operation, classified by HTTP status (rc), exit code (command) and message text.</summary>
    public static PoolException Failed(
        string operation,
        string target,
        string remote,
        string rcloneMessage,
        int? httpStatus = null,
        int? exitCode = null,
        Exception? innerException = null)
    {
        var message = Clean(rcloneMessage);
        var (kind, advice) = Diagnose(message, remote, httpStatus, exitCode);
        if (operation == "write" && kind == PoolErrorKind.NotFound)
        {
            // Nothing can be "not found" about a new object: a read-only WebDAV server, for one, answers a PUT with 404.
            (kind, advice) = (PoolErrorKind.Remote, $"The remote {(remote.Length > 0 ? $"\"{remote}\"" : "")} refused to store it (it may be read-only); check that rclone can write there.");
        }

        return new PoolException(kind, $"rclone could not {operation} {target}: {message}. {advice}", innerException);
    }

    /// <summary>The kind rclone's failure belongs to.</summary>
    public static PoolErrorKind Classify(string rcloneMessage, int? httpStatus = null, int? exitCode = null) =>
        Diagnose(Clean(rcloneMessage), "", httpStatus, exitCode).Kind;

    /// <summary>True when a backend has no <c>about</c> (rclone says "doesn't support about").</summary>
    public static bool IsAboutUnsupported(string rcloneMessage) =>
        rcloneMessage.Contains("support about", StringComparison.OrdinalIgnoreCase) ||
        rcloneMessage.Contains("about not supported", StringComparison.OrdinalIgnoreCase);

    /// <summary>rclone itself could not be reached or died mid-call: always transient.</summary>
    public static PoolException Unreachable(string operation, string target, string detail, Exception? innerException = null) => new(
        PoolErrorKind.Transient,
        $"rclone could not {operation} {target}: {Clean(detail)}. The rclone process failed or went away; the operation can be retried.",
        innerException);

    public static PoolException TimedOut(string operation, string target, TimeSpan limit) => new(
        PoolErrorKind.Transient,
        $"rclone could not {operation} {target} within {limit.TotalSeconds:0} s. The remote may be slow or unreachable; the operation can be retried.");

    public static PoolException NotFound(string target) =>
        new(PoolErrorKind.NotFound, $"{target} does not exist.");

    /// <summary>The informative line of a command's stderr: the final "Failed to …" summary, else the last error line.</summary>
    public static string Summarize(IReadOnlyList<string> errorLines)
    {
        string? lastError = null;
        string? lastAny = null;
        for (var i = errorLines.Count - 1; i >= 0; i--)
        {
            var line = StripLogPrefix(errorLines[i]);
            if (line.Length == 0 || line.StartsWith("NOTICE:", StringComparison.Ordinal) || line.StartsWith("INFO", StringComparison.Ordinal) ||
                line.StartsWith("DEBUG", StringComparison.Ordinal))
            {
                continue;
            }

            if (line.StartsWith("Failed to ", StringComparison.Ordinal))
            {
                return line;
            }

            lastError ??= line.StartsWith("ERROR", StringComparison.Ordinal) ? line : null;
            lastAny ??= line;
        }

        return lastError ?? lastAny ?? "rclone failed without saying why";
    }

    private static (PoolErrorKind Kind, string Advice) Diagnose(string message, string remote, int? httpStatus, int? exitCode)
    {
        var named = remote.Length > 0 ? $"\"{remote}\"" : "the remote";
        if (ContainsAny(message, ConfigSectionMissing))
        {
            return (PoolErrorKind.BadInput,
                $"The remote {named} is not defined in rclone's config file: create it with `rclone config`, or check its spelling " +
                "in the pool's remotes and that RCLONE_CONFIG names the right config file.");
        }

        if (ContainsAny(message, UnknownBackend))
        {
            return (PoolErrorKind.BadInput, $"{named} names an rclone backend that does not exist; check the remote's spelling.");
        }

        if (ContainsAny(message, EncryptedConfig))
        {
            return (PoolErrorKind.Environment, "rclone's config file is encrypted: give rclonepool its password in RCLONE_CONFIG_PASS.");
        }

        if (httpStatus == 404 || exitCode is ExitDirNotFound or ExitFileNotFound)
        {
            return (PoolErrorKind.NotFound, "It does not exist.");
        }

        var transient = (PoolErrorKind.Transient, $"The remote {named} may be unreachable or busy; the operation can be retried.");
        if (exitCode == ExitRetry || httpStatus is 429 or 502 or 503 or 504)
        {
            return transient;
        }

        if (ContainsAny(message, TransientText) || HttpStatusInText().IsMatch(message))
        {
            return transient;
        }

        if (ContainsAny(message, QuotaText))
        {
            return (PoolErrorKind.NoSpace, $"The remote {named} is out of space or over its quota: free space there, or take it out of the pool.");
        }

        if (ContainsAny(message, AccessText))
        {
            return (PoolErrorKind.Remote,
                $"rclone was refused access to {named}: check its credentials (`rclone config reconnect {(remote.Length > 0 ? remote : "REMOTE:")}`) and permissions.");
        }

        if (ContainsAny(message, NotFoundText))
        {
            return (PoolErrorKind.NotFound, "It does not exist.");
        }

        if (httpStatus == 400 || exitCode == ExitUsage)
        {
            return (PoolErrorKind.BadInput, "rclone refused the request; check the remote and path.");
        }

        return (PoolErrorKind.Remote, $"Check the remote with `rclone lsd {(remote.Length > 0 ? remote : "REMOTE:")}`.");
    }

    private static bool ContainsAny(string message, string[] needles)
    {
        foreach (var needle in needles)
        {
            if (message.Contains(needle, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static string Clean(string message)
    {
        var text = StripLogPrefix(message.Trim());
        return text.TrimEnd('.', ' ', '\n');
    }

    private static string StripLogPrefix(string line)
    {
        var match = LogPrefix().Match(line);
        return (match.Success ? line[match.Length..] : line).Trim();
    }

    // "2026/11/25 21:48:26 " (rclone's default log prefix).
    [GeneratedRegex(@"^\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2} ")]
    private static partial Regex LogPrefix();

    // A 5xx status quoted in a backend's error ("500 Internal Server Error", "status code 503").
    [GeneratedRegex(@"(\b5\d\d\b\s+[A-Z][a-z])|(status(?: code)?:? 5\d\d\b)|(\b429\b)")]
    private static partial Regex HttpStatusInText();
}
