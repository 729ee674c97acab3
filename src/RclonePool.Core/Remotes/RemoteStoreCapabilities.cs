namespace RclonePool.Core.Remotes;

/// <summary>
/// How callers (and decorators, forwarding) reach the optional abilities of an <see cref="IRemoteStore"/>: through the
/// capability when the store has it, else by the plain calls every store offers.
/// </summary>
public static class RemoteStoreCapabilities
{
    /// <summary>
    /// Writes several small objects into one directory of one remote: in one call when the store has
    /// <see cref="IBatchedWrites"/>, else one by one. When it fails, some of the objects may have been written.
    /// </summary>
    public static Task WriteManyAsync(this IRemoteStore store, RemotePath directory, IReadOnlyList<NamedBytes> objects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store is IBatchedWrites batched ? batched.WriteManyAsync(directory, objects, cancellationToken) : WriteOneByOneAsync(store, directory, objects, cancellationToken);
    }

    /// <summary>
    /// The local directory of <paramref name="remote"/> when the store has <see cref="ILocalDirectoryLookup"/> and the
    /// remote is rclone's local backend; else null.
    /// </summary>
    public static Task<string?> LocalDirectoryAsync(this IRemoteStore store, string remote, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store is ILocalDirectoryLookup lookup ? lookup.LocalDirectoryAsync(remote, cancellationToken) : Task.FromResult<string?>(null);
    }

    /// <summary>The hash types the remote can report when the store has <see cref="IRemoteHashes"/>; else none.</summary>
    public static Task<IReadOnlyList<string>> HashTypesAsync(this IRemoteStore store, string remote, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store is IRemoteHashes hashes ? hashes.HashTypesAsync(remote, cancellationToken) : Task.FromResult<IReadOnlyList<string>>([]);
    }

    /// <summary>The remote's hash of an object when the store has <see cref="IRemoteHashes"/>; else null (it cannot tell).</summary>
    public static Task<string?> HashAsync(this IRemoteStore store, RemotePath path, string type, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store is IRemoteHashes hashes ? hashes.HashAsync(path, type, cancellationToken) : Task.FromResult<string?>(null);
    }

    /// <summary>
    /// Copies an object between remotes inside the store when it has <see cref="IRemoteCopies"/> and can for these two
    /// remotes; false when the caller must stream the bytes itself.
    /// </summary>
    public static Task<bool> TryCopyAsync(this IRemoteStore store, RemotePath from, RemotePath to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store is IRemoteCopies copies ? copies.CopyAsync(from, to, cancellationToken) : Task.FromResult(false);
    }

    private static async Task WriteOneByOneAsync(IRemoteStore store, RemotePath directory, IReadOnlyList<NamedBytes> objects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(objects);
        foreach (var item in objects)
        {
            await store.WriteBytesAsync(directory.Child(item.Name), item.Bytes, cancellationToken);
        }
    }
}
