namespace RclonePool.Core.Remotes.Local;

/// <summary>
/// Stat, delete and move of plain object paths straight in a local remote's directory: a deduplicating upload asks
/// every remote whether each chunk exists, and through rclone each answer is a loopback HTTP call (and the first one
/// starts rclone). A file is answered from the file system; a path that is neither a file nor a directory is answered
/// "not there" when the remote's directory exists. Anything else (a directory, a path rclone might encode, a refusal of
/// the file system) goes to rclone, whose answer stands.
/// </summary>
public sealed partial class LocalDirectStore
{
    public async Task<RemoteEntry?> StatAsync(RemotePath path, CancellationToken cancellationToken)
    {
        if (options.Reads && await DirectDirectoryAsync(path, cancellationToken) is { } directory)
        {
            try
            {
                var file = new FileInfo(Path.Join(directory, path.Path));
                if (file.Exists)
                {
                    return new RemoteEntry(path.Path, file.Length, new DateTimeOffset(file.LastWriteTimeUtc), IsDirectory: false);
                }

                if (!Directory.Exists(file.FullName))
                {
                    return null;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // rclone answers instead
            }
        }

        return await inner.StatAsync(path, cancellationToken);
    }

    public async Task<bool> DeleteAsync(RemotePath path, CancellationToken cancellationToken)
    {
        if (options.Writes && await DirectDirectoryAsync(path, cancellationToken) is { } directory)
        {
            var file = Path.Join(directory, path.Path);
            try
            {
                if (File.Exists(file))
                {
                    File.Delete(file);
                    return true;
                }

                if (!Directory.Exists(file))
                {
                    return false;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // rclone answers instead
            }
        }

        return await inner.DeleteAsync(path, cancellationToken);
    }

    public async Task MoveAsync(RemotePath from, RemotePath to, CancellationToken cancellationToken)
    {
        if (options.Writes && from.Remote == to.Remote && IsPlainObjectPath(to.Path) && await DirectDirectoryAsync(from, cancellationToken) is { } directory)
        {
            var source = Path.Join(directory, from.Path);
            var target = Path.Join(directory, to.Path);
            try
            {
                if (File.Exists(source))
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.Move(source, target, overwrite: true);
                    return;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // rclone answers instead
            }
        }

        await inner.MoveAsync(from, to, cancellationToken);
    }

    /// <summary>The remote's local directory when <paramref name="path"/> is a plain object path on one that exists, else null.</summary>
    private async Task<string?> DirectDirectoryAsync(RemotePath path, CancellationToken cancellationToken) =>
        IsPlainObjectPath(path.Path) && await LocalDirectoryAsync(path.Remote, cancellationToken) is { } directory && Directory.Exists(directory) ? directory : null;
}
