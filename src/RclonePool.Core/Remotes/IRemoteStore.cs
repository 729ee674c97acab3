namespace RclonePool.Core.Remotes;

/// <summary>
/// The storage layer: object operations on rclone remotes. Implementations: <c>RcdRemoteStore</c> (one
/// supervised <c>rclone rcd</c>), <c>CliRemoteStore</c> (one <c>rclone</c> command per call), and test doubles.
/// Every failure surfaces as a <see cref="Errors.PoolException"/> whose kind tells transient from permanent.
/// Optional abilities are capability interfaces beside this one (<see cref="IRemoteStoreCapability"/>), reached through
/// <see cref="RemoteStoreCapabilities"/>.
/// </summary>
public interface IRemoteStore : IAsyncDisposable
{
    /// <summary>
    /// Streams <paramref name="content"/> to <paramref name="target"/>, creating parent directories.
    /// <paramref name="length"/> is the exact byte count, or -1 when unknown. The content stream is read
    /// once, front to back; it is not disposed.
    /// </summary>
    Task WriteAsync(RemotePath target, Stream content, long length, CancellationToken cancellationToken);

    /// <summary>
    /// Opens <paramref name="count"/> bytes from <paramref name="offset"/> (count -1: to the end). The stream
    /// yields exactly the bytes stored, fewer only if the object is shorter. Missing object: NotFound.
    /// </summary>
    Task<Stream> OpenReadAsync(RemotePath source, long offset, long count, CancellationToken cancellationToken);

    /// <summary>Lists a directory (recursively when asked). A missing directory lists as empty.</summary>
    IAsyncEnumerable<RemoteEntry> ListAsync(RemotePath directory, bool recursive, CancellationToken cancellationToken);

    /// <summary>Describes one object, or null when it does not exist.</summary>
    Task<RemoteEntry?> StatAsync(RemotePath path, CancellationToken cancellationToken);

    /// <summary>Deletes one object. Returns false when it did not exist.</summary>
    Task<bool> DeleteAsync(RemotePath path, CancellationToken cancellationToken);

    /// <summary>Moves (renames) one object on the same remote, replacing the target.</summary>
    Task MoveAsync(RemotePath from, RemotePath to, CancellationToken cancellationToken);

    /// <summary>Space on a remote, or null when the backend cannot tell.</summary>
    Task<RemoteUsage?> AboutAsync(string remote, CancellationToken cancellationToken);
}
