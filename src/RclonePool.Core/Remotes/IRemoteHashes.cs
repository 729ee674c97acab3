namespace RclonePool.Core.Remotes;

/// <summary>
/// A store that can ask a remote for its own hash of an object (rclone's hashes: kept as metadata by most cloud
/// backends, computed where the object lives by the local and sftp ones), so a copy can be checked where it landed
/// without reading it back.
/// </summary>
public interface IRemoteHashes : IRemoteStoreCapability
{
    /// <summary>The hash types the remote can report, in rclone's names (<c>md5</c>, <c>sha1</c>, <c>sha256</c> …); empty when none.</summary>
    Task<IReadOnlyList<string>> HashTypesAsync(string remote, CancellationToken cancellationToken);

    /// <summary>The remote's <paramref name="type"/> hash of the object in lowercase hex, or null when it cannot tell.</summary>
    Task<string?> HashAsync(RemotePath path, string type, CancellationToken cancellationToken);
}
