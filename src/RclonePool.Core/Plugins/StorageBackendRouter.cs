using RclonePool.Core.Remotes;

namespace RclonePool.Core.Plugins;

/// <summary>
/// The transport of a pool with <c>plugin=NAME</c> remotes: calls on those remotes go to their plugin's store
/// (<see cref="StorageBackendStore"/>, or <see cref="MissingStorageBackend"/> when the plugin is not there), every other
/// call to the rclone transport. Forwards the transport's capabilities for its remotes; the plugin remotes have none
/// (batched writes go one by one, no local directory, no remote hashes). Disposing it disposes the transport.
/// </summary>
public sealed class StorageBackendRouter(IRemoteStore transport, IReadOnlyDictionary<string, IRemoteStore> plugins) : IRemoteStore, IBatchedWrites, ILocalDirectoryLookup, IRemoteHashes, IRemoteCopies
{
    /// <summary>The store of each plugin remote, by its spelling in <c>remotes</c>.</summary>
    public IReadOnlyDictionary<string, IRemoteStore> Plugins => plugins;

    public Task WriteAsync(RemotePath target, Stream content, long length, CancellationToken cancellationToken) =>
        For(target.Remote).WriteAsync(target, content, length, cancellationToken);

    public Task WriteManyAsync(RemotePath directory, IReadOnlyList<NamedBytes> objects, CancellationToken cancellationToken) =>
        For(directory.Remote).WriteManyAsync(directory, objects, cancellationToken);

    public Task<Stream> OpenReadAsync(RemotePath source, long offset, long count, CancellationToken cancellationToken) =>
        For(source.Remote).OpenReadAsync(source, offset, count, cancellationToken);

    public IAsyncEnumerable<RemoteEntry> ListAsync(RemotePath directory, bool recursive, CancellationToken cancellationToken) =>
        For(directory.Remote).ListAsync(directory, recursive, cancellationToken);

    public Task<RemoteEntry?> StatAsync(RemotePath path, CancellationToken cancellationToken) => For(path.Remote).StatAsync(path, cancellationToken);

    public Task<bool> DeleteAsync(RemotePath path, CancellationToken cancellationToken) => For(path.Remote).DeleteAsync(path, cancellationToken);

    public Task MoveAsync(RemotePath from, RemotePath to, CancellationToken cancellationToken) => For(from.Remote).MoveAsync(from, to, cancellationToken);

    public Task<RemoteUsage?> AboutAsync(string remote, CancellationToken cancellationToken) => For(remote).AboutAsync(remote, cancellationToken);

    /// <summary>Only between two remotes that rclone reaches: a plugin's storage is not rclone's to copy.</summary>
    public Task<bool> CopyAsync(RemotePath from, RemotePath to, CancellationToken cancellationToken) =>
        ReferenceEquals(For(from.Remote), transport) && ReferenceEquals(For(to.Remote), transport)
            ? transport.TryCopyAsync(from, to, cancellationToken)
            : Task.FromResult(false);

    public Task<string?> LocalDirectoryAsync(string remote, CancellationToken cancellationToken) =>
        For(remote).LocalDirectoryAsync(remote, cancellationToken);

    public Task<IReadOnlyList<string>> HashTypesAsync(string remote, CancellationToken cancellationToken) =>
        For(remote).HashTypesAsync(remote, cancellationToken);

    public Task<string?> HashAsync(RemotePath path, string type, CancellationToken cancellationToken) =>
        For(path.Remote).HashAsync(path, type, cancellationToken);

    public ValueTask DisposeAsync() => transport.DisposeAsync();

    private IRemoteStore For(string remote) => plugins.TryGetValue(remote, out var store) ? store : transport;
}
