using RclonePool.Core.Errors;

namespace RclonePool.Core.Plugins;

/// <summary>
/// The safety rule for <c>plugins_dir</c>: code loads only from a directory that belongs to the user running
/// rclonepool and that neither group nor others may write, and so must every subdirectory and file in it (a plugin
/// another user could swap is another user's code running as this one). Symbolic links are refused: what loads is what
/// is in the directory.
/// </summary>
public static class PluginDirectory
{
    /// <summary>Null when <paramref name="directory"/> is safe to load from; otherwise the reason, as a sentence that says what to do.</summary>
    public static string? Problem(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
        {
            return $"The plugins directory {directory} does not exist; create it (mkdir -p -m 700 {directory}) or set plugins_dir, then add plugins with 'rclonepool plugins load PATH'.";
        }

        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        var problem = Unsafe(directory, isDirectory: true);
        if (problem is not null)
        {
            return problem;
        }

        foreach (var entry in Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories))
        {
            problem = Unsafe(entry, Directory.Exists(entry));
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    /// <summary>Throws a BadInput <see cref="PoolException"/> with the reason when <paramref name="directory"/> is not safe.</summary>
    public static void EnsureSafe(string directory)
    {
        if (Problem(directory) is { } problem)
        {
            throw new PoolException(PoolErrorKind.BadInput, $"No plugin loads: {problem}");
        }
    }

    private static string? Unsafe(string path, bool isDirectory)
    {
        var info = isDirectory ? (FileSystemInfo)new DirectoryInfo(path) : new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            return $"{path} is a symbolic link; plugins load only from files inside plugins_dir: copy the plugin there with 'rclonepool plugins load PATH'.";
        }

        var me = FileOwner.CurrentUser();
        var owner = FileOwner.Of(path);
        if (me is not null && owner is not null && owner != me)
        {
            return $"{path} belongs to user id {owner}, not to the user running rclonepool ({me}); give it to this user (chown) or use a plugins_dir of your own.";
        }

        const UnixFileMode Shared = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
        if ((info.UnixFileMode & Shared) != 0)
        {
            return $"{path} is writable by {((info.UnixFileMode & Shared) == Shared ? "group and others" : (info.UnixFileMode & UnixFileMode.GroupWrite) != 0 ? "its group" : "others")}; make it writable by its owner only (chmod go-w {path}).";
        }

        return null;
    }
}
