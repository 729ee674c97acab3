using RclonePool.Core.Errors;

namespace RclonePool.Core.Remotes.Rclone;

/// <summary>Builds rclone argument lists: the command, the user's flags, then ours (later flags win), then the operands.</summary>
internal static class RcloneArguments
{
    /// <summary>rclone fails instead of prompting on a terminal for an encrypted config's password.</summary>
    public const string NoPasswordPrompt = "--ask-password=false";

    /// <summary><c>rclone COMMAND [user flags] --ask-password=false [ownFlags] -- OPERANDS</c>.</summary>
    public static List<string> Command(RcloneOptions options, string command, IEnumerable<string> ownFlags, params string[] operands)
    {
        List<string> arguments = [command, .. options.Flags, NoPasswordPrompt, .. ownFlags];
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
