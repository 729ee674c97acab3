using System.Collections.Concurrent;
using RclonePool.Core.Errors;

namespace RclonePool.Core.Remotes.Rclone;

/// <summary>Finds the rclone executable named by <c>rclone_binary</c>, with an install hint when it is missing.</summary>
internal static class RcloneExecutable
{
    private static readonly ConcurrentDictionary<string, string> Resolved = new(StringComparer.Ordinal);

    /// <summary>The full path of the executable, or a <see cref="PoolErrorKind.Environment"/> error saying how to install it.</summary>
    public static string Resolve(string binary)
    {
        if (Resolved.TryGetValue(binary, out var known) && File.Exists(known))
        {
            return known;
        }

        var found = Find(binary) ?? throw Missing(binary);
        Resolved[binary] = found;
        return found;
    }

    /// <summary>Searches PATH for a bare name; expands '~' and checks a path. Null when there is no executable file.</summary>
    internal static string? Find(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        if (name.StartsWith("~/", StringComparison.Ordinal))
        {
            name = Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), name[2..]);
        }

        if (name.Contains('/', StringComparison.Ordinal))
        {
            return IsExecutable(name) ? Path.GetFullPath(name) : null;
        }

        var path = System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        foreach (var directory in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (IsExecutable(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool IsExecutable(string file)
    {
        if (!File.Exists(file))
        {
            return false;
        }

        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return OperatingSystem.IsWindows() || (File.GetUnixFileMode(file) & anyExecute) != 0;
    }

    private static PoolException Missing(string binary) => new(
        PoolErrorKind.Environment,
        $"rclone was not found (rclone_binary is \"{binary}\"). Install it with `apt-get install rclone` (Debian, Ubuntu) " +
        "or from https://rclone.org/install/, or set rclone_binary in the rclonepool config to the full path of the rclone executable.");
}
