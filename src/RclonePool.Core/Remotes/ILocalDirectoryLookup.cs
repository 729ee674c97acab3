namespace RclonePool.Core.Remotes;

/// <summary>
/// The ability to tell which local directory rclone stores a remote's objects in, when the remote is rclone's local
/// backend (see <see cref="Local.LocalDirectStore"/>). Callers use <see cref="RemoteStoreCapabilities.LocalDirectoryAsync"/>,
/// which answers null when the store lacks the ability.
/// </summary>
public interface ILocalDirectoryLookup : IRemoteStoreCapability
{
    /// <summary>
    /// The directory of the local filesystem that rclone stores <paramref name="remote"/>'s objects in, when the remote is
    /// rclone's local backend (a path, a <c>type = local</c> remote, or an alias of one); null for any other backend
    /// (cloud, crypt, union …) or when the store cannot tell.
    /// </summary>
    Task<string?> LocalDirectoryAsync(string remote, CancellationToken cancellationToken);
}
