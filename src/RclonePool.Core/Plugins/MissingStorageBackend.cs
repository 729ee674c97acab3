using System.Runtime.CompilerServices;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Plugins;

/// <summary>
/// The store of a <c>plugin=NAME</c> remote whose plugin is not loaded or not enabled: every call fails at once with a
/// transient error that says why and what to do, so the remote counts as down (reads fail over, health reports it).
/// </summary>
public sealed class MissingStorageBackend(string remote, string reason) : IRemoteStore
{
    public string Reason { get; } = reason;

    public Task WriteAsync(RemotePath target, Stream content, long length, CancellationToken cancellationToken) => Task.FromException(Error());

    public Task<Stream> OpenReadAsync(RemotePath source, long offset, long count, CancellationToken cancellationToken) => Task.FromException<Stream>(Error());

    public async IAsyncEnumerable<RemoteEntry> ListAsync(RemotePath directory, bool recursive, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.FromException(Error()).WaitAsync(cancellationToken);
        yield break;
    }

    public Task<RemoteEntry?> StatAsync(RemotePath path, CancellationToken cancellationToken) => Task.FromException<RemoteEntry?>(Error());

    public Task<bool> DeleteAsync(RemotePath path, CancellationToken cancellationToken) => Task.FromException<bool>(Error());

    public Task MoveAsync(RemotePath from, RemotePath to, CancellationToken cancellationToken) => Task.FromException(Error());

    public Task<RemoteUsage?> AboutAsync(string remote, CancellationToken cancellationToken) => Task.FromException<RemoteUsage?>(Error());

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Errors.PoolException Error() => StorageBackendErrors.NotLoaded(remote, Reason);
}
