namespace RclonePool.Core.Remotes;

/// <summary>
/// The ability to write several small objects into one directory of one remote in one call (rcd: one multipart upload),
/// which is what makes many small writes cheap. Callers use <see cref="RemoteStoreCapabilities.WriteManyAsync"/>, which
/// writes them one by one when the store lacks the ability.
/// </summary>
public interface IBatchedWrites : IRemoteStoreCapability
{
    /// <summary>Writes <paramref name="objects"/> into <paramref name="directory"/>. When it fails, some of them may have been written.</summary>
    Task WriteManyAsync(RemotePath directory, IReadOnlyList<NamedBytes> objects, CancellationToken cancellationToken);
}
