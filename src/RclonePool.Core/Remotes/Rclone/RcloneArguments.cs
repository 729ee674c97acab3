using RclonePool.Core.Errors;

namespace RclonePool.Core.Remotes.Rclone;

/// <summary>
/// Builds rclone argument lists: the command, our defaults, the user's flags, then ours (later flags win), then the
/// operands.
/// </summary>
internal static class RcloneArguments
{
    /// <summary>
    /// Defaults the user's <c>rclone_flags</c> may override: a remote that accepts connections but stops answering fails
    /// (transiently) after a minute without data instead of rclone's five, and an unreachable one after 15 s (the pool's
    /// watchdog gives up on a silent remote well before either: <c>remote_answer_timeout</c>). rclone tries each call
    /// once (<c>--low-level-retries 1</c>): the pool retries what is worth retrying (<c>max_retries</c>), and a remote
    /// that refuses connections fails at once instead of after ten tries with growing pauses.
    /// </summary>
    public static readonly IReadOnlyList<string> Defaults = ["--contimeout", "15s", "--timeout", "60s", "--low-level-retries", "1"];

    /// <summary>rclone fails instead of prompting on a terminal for an encrypted config's password.</summary>
    public const string NoPasswordPrompt = "--ask-password=false";

    /// <summary><c>rclone COMMAND [defaults] [user flags] --ask-password=false [ownFlags] -- OPERANDS</c>.</summary>
    public static List<string> Command(RcloneOptions options, string command, IEnumerable<string> ownFlags, params string[] operands)
    {
        List<string> arguments = [command, .. Defaults, .. options.Flags, NoPasswordPrompt, .. ownFlags];
        if (operands.Length > 0)
        {
            arguments.Add("--");
            arguments.AddRange(operands);
        }

        return arguments;
    }

    /// <summary>
    /// Refuses rc flags in <c>rclone_flags</c>: rclonepool runs the remote control itself, on loopback with random
    /// credentials, and a user's <c>--rc-addr</c>, <c>--rc-no-auth</c> or <c>--rc</c> would weaken or break that.
    /// </summary>
    public static void EnsureNoRemoteControlFlags(RcloneOptions options)
    {
        foreach (var flag in options.Flags)
        {
            if (flag == "--rc" || flag.StartsWith("--rc-", StringComparison.Ordinal) || flag.StartsWith("--rc=", StringComparison.Ordinal))
            {
                throw new PoolException(
                    PoolErrorKind.BadInput,
                    $"rclone_flags contains \"{flag}\": rclonepool runs rclone's remote control itself (loopback only, random credentials). Remove that flag from rclone_flags.");
            }
        }
    }
}
