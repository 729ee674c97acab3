using System.Runtime.CompilerServices;

namespace RclonePool.Core.Remotes.Local;

/// <summary>
/// Listings of a local remote's directory read from the file system: a pool opening with an empty index lists every
/// remote's manifests, and through rclone that one listing started the rclone process for a whole command (an upload
/// into local remotes otherwise needs none). The entries are what rclone's local backend lists: paths relative to the
/// remote root, files with their size and time, directories with size 0. A listing in which rclone might decide
/// otherwise goes to rclone whole, before any entry is handed out: a symbolic link (rclone's link flags decide), a
/// name its encoding might change, a directory the file system refuses to read.
/// </summary>
public sealed partial class LocalDirectStore
{
    public async IAsyncEnumerable<RemoteEntry> ListAsync(RemotePath directory, bool recursive, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var listed = options.Reads && (directory.Path.Length == 0 || IsPlainObjectPath(directory.Path))
            && await LocalDirectoryAsync(directory.Remote, cancellationToken) is { } root
            ? TryList(root, directory.Path, recursive, cancellationToken)
            : null;
        if (listed is null)
        {
            await foreach (var entry in inner.ListAsync(directory, recursive, cancellationToken))
            {
                yield return entry;
            }

            yield break;
        }

        foreach (var entry in listed)
        {
            yield return entry;
        }
    }

    /// <summary>The listing, or null when rclone is to answer.</summary>
    private static List<RemoteEntry>? TryList(string root, string path, bool recursive, CancellationToken cancellationToken)
    {
        var start = path.Length == 0 ? root : Path.Join(root, path);
        var entries = new List<RemoteEntry>();
        try
        {
            if (!Directory.Exists(root) || File.Exists(start))
            {
                return null;
            }

            if (!Directory.Exists(start))
            {
                return entries; // a missing directory lists as empty
            }

            var pending = new Stack<(string Directory, string Relative)>();
            pending.Push((start, path));
            while (pending.TryPop(out var next))
            {
                cancellationToken.ThrowIfCancellationRequested();
                foreach (var info in new DirectoryInfo(next.Directory).EnumerateFileSystemInfos())
                {
                    var relative = next.Relative.Length == 0 ? info.Name : next.Relative + "/" + info.Name;
                    if ((info.Attributes & FileAttributes.ReparsePoint) != 0 || !IsPlainObjectPath(relative))
                    {
                        return null;
                    }

                    if (info is FileInfo file)
                    {
                        entries.Add(new RemoteEntry(relative, file.Length, new DateTimeOffset(file.LastWriteTimeUtc), IsDirectory: false));
                        continue;
                    }

                    entries.Add(new RemoteEntry(relative, 0, new DateTimeOffset(info.LastWriteTimeUtc), IsDirectory: true));
                    if (recursive)
                    {
                        pending.Push((info.FullName, relative));
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return entries;
    }
}
