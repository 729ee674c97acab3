using RclonePool.Core.Remotes;

namespace RclonePool.Tests.Unit.Support;

/// <summary>A store that passes every call to <see cref="Inner"/>; a test store overrides only the calls it watches or changes.</summary>
internal abstract class PassThroughRemoteStore(IRemoteStore inner) : IRemoteStore
{
    protected IRemoteStore Inner { get; } = inner;

    public virtual Task WriteAsync(RemotePath target, Stream content, long length, CancellationToken cancellationToken) => Inner.WriteAsync(target, content, length, cancellationToken);

    public virtual Task<Stream> OpenReadAsync(RemotePath source, long offset, long count, CancellationToken cancellationToken) => Inner.OpenReadAsync(source, offset, count, cancellationToken);

    public virtual IAsyncEnumerable<RemoteEntry> ListAsync(RemotePath directory, bool recursive, CancellationToken cancellationToken) => Inner.ListAsync(directory, recursive, cancellationToken);

    public virtual Task<RemoteEntry?> StatAsync(RemotePath path, CancellationToken cancellationToken) => Inner.StatAsync(path, cancellationToken);

    public virtual Task<bool> DeleteAsync(RemotePath path, CancellationToken cancellationToken) => Inner.DeleteAsync(path, cancellationToken);

    public virtual Task MoveAsync(RemotePath from, RemotePath to, CancellationToken cancellationToken) => Inner.MoveAsync(from, to, cancellationToken);

    public virtual Task<RemoteUsage?> AboutAsync(string remote, CancellationToken cancellationToken) => Inner.AboutAsync(remote, cancellationToken);

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
