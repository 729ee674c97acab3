using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Win32.SafeHandles;
using RclonePool.Core.Chunking;

namespace RclonePool.Core.Remotes.Local;

/// <summary>
/// Reads objects of remotes that rclone maps to a local directory (its local backend: a path, a <c>type = local</c>
/// remote or an alias of one) straight from the filesystem, and hands every other call to the transport it wraps.
/// rclone's local backend stores an object as the plain file at root/path, so the bytes are the same; what is saved is
/// the trip through the rclone process (a loopback HTTP request and two extra copies of every byte). Writes, listings,
/// deletes and moves always go through rclone. rclone itself says which remotes are local
/// (<see cref="IRemoteStore.LocalDirectoryAsync"/>, asked once per remote); crypt and every other backend are read
/// through rclone as before. Object paths with characters rclone's local name encoding might change are read through
/// rclone too, and any file that cannot be opened directly (missing, unreadable) is asked of rclone, whose answer
/// (the object, or NotFound) stands. What is read is verified by the caller against the manifest like any other read.
/// </summary>
public sealed class LocalDirectReadStore(IRemoteStore inner, ILogger? logger = null) : IRemoteStore
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private readonly ConcurrentDictionary<string, Lazy<Task<string?>>> _directories = new(StringComparer.Ordinal);

    /// <summary>The store every call other than a direct read goes to.</summary>
    public IRemoteStore Inner => inner;

    public async Task<Stream> OpenReadAsync(RemotePath source, long offset, long count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (IsPlainObjectPath(source.Path) && await LocalDirectoryAsync(source.Remote, cancellationToken) is { } directory
            && TryOpen(Path.Join(directory, source.Path), offset, count, cancellationToken) is { } direct)
        {
            return direct;
        }

        return await inner.OpenReadAsync(source, offset, count, cancellationToken);
    }

    public Task<string?> LocalDirectoryAsync(string remote, CancellationToken cancellationToken) =>
        _directories.GetOrAdd(remote, r => new Lazy<Task<string?>>(() => ResolveAsync(r))).Value.WaitAsync(cancellationToken);

    /// <summary>
    /// Asks rclone once. A failure to tell (rclone down or restarting) sends this read through rclone and is not
    /// remembered: the next read asks again, so a long-running server does not lose direct reads to one bad moment.
    /// </summary>
    private async Task<string?> ResolveAsync(string remote)
    {
        try
        {
            var directory = await inner.LocalDirectoryAsync(remote, CancellationToken.None);
            if (directory is not null)
            {
                _logger.LogDebug("{Remote} is rclone's local backend at {Directory}: its objects are read from there directly.", remote, directory);
            }

            return directory;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _logger.LogDebug("Could not tell whether {Remote} is a local directory ({Error}); this read goes through rclone.", remote, e.Message);
            _directories.TryRemove(remote, out _);
            return null;
        }
    }

    private static FileRangeStream? TryOpen(string file, long offset, long count, CancellationToken opened)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        try
        {
            var length = RandomAccess.GetLength(handle);
            var start = Math.Min(offset, length);
            var available = length - start;
            return new FileRangeStream(handle, start, count < 0 ? available : Math.Min(count, available), ownsHandle: true, stopWith: opened);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// True for the paths the pool names its objects with (letters, digits, '_', '-', '.', '/' separators, no empty,
    /// '.' or '..' segment): rclone's local backend stores those under the same name on every platform's encoding.
    /// </summary>
    internal static bool IsPlainObjectPath(string path)
    {
        var segmentStart = 0;
        for (var i = 0; i <= path.Length; i++)
        {
            if (i == path.Length || path[i] == '/')
            {
                var segment = path.AsSpan(segmentStart, i - segmentStart);
                if (segment.IsEmpty || segment is "." or "..")
                {
                    return false;
                }

                segmentStart = i + 1;
            }
            else if (!(char.IsAsciiLetterOrDigit(path[i]) || path[i] is '_' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    public Task WriteAsync(RemotePath target, Stream content, long length, CancellationToken cancellationToken) =>
        inner.WriteAsync(target, content, length, cancellationToken);

    public Task WriteManyAsync(RemotePath directory, IReadOnlyList<NamedBytes> objects, CancellationToken cancellationToken) =>
        inner.WriteManyAsync(directory, objects, cancellationToken);

    public IAsyncEnumerable<RemoteEntry> ListAsync(RemotePath directory, bool recursive, CancellationToken cancellationToken) =>
        inner.ListAsync(directory, recursive, cancellationToken);

    public Task<RemoteEntry?> StatAsync(RemotePath path, CancellationToken cancellationToken) => inner.StatAsync(path, cancellationToken);

    public Task<bool> DeleteAsync(RemotePath path, CancellationToken cancellationToken) => inner.DeleteAsync(path, cancellationToken);

    public Task MoveAsync(RemotePath from, RemotePath to, CancellationToken cancellationToken) => inner.MoveAsync(from, to, cancellationToken);

    public Task<RemoteUsage?> AboutAsync(string remote, CancellationToken cancellationToken) => inner.AboutAsync(remote, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
