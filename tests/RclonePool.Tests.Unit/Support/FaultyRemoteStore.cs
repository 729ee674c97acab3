using RclonePool.Core.Errors;
using RclonePool.Core.Remotes;

namespace RclonePool.Tests.Unit.Support;

/// <summary>
/// Wraps a store and fails writes on chosen remotes, or the Nth write overall, part-way through the
/// transfer (after storing a truncated object, as a killed upload would).
/// </summary>
internal sealed class FaultyRemoteStore(InMemoryRemoteStore inner) : IRemoteStore
{
    private int _writes;

    public HashSet<string> FailingRemotes { get; } = new(StringComparer.Ordinal);

    /// <summary>1-based index of the write that fails (0: none).</summary>
    public int FailWriteNumber { get; set; }

    public PoolErrorKind FailureKind { get; set; } = PoolErrorKind.Transient;

    public async Task WriteAsync(RemotePath target, Stream content, long length, CancellationToken cancellationToken)
    {
        var number = Interlocked.Increment(ref _writes);
        if (FailingRemotes.Contains(target.Remote) || number == FailWriteNumber)
        {
            var half = new byte[Math.Max(0, length / 2)];
            _ = await content.ReadAtLeastAsync(half, half.Length, throwOnEndOfStream: false, cancellationToken);
            await inner.WriteAsync(target, new MemoryStream(half), -1, cancellationToken);
            throw new PoolException(FailureKind, $"injected failure writing {target}");
        }

        await inner.WriteAsync(target, content, length, cancellationToken);
    }

    public Task<Stream> OpenReadAsync(RemotePath source, long offset, long count, CancellationToken cancellationToken) => inner.OpenReadAsync(source, offset, count, cancellationToken);

    public IAsyncEnumerable<RemoteEntry> ListAsync(RemotePath directory, bool recursive, CancellationToken cancellationToken) => inner.ListAsync(directory, recursive, cancellationToken);

    public Task<RemoteEntry?> StatAsync(RemotePath path, CancellationToken cancellationToken) => inner.StatAsync(path, cancellationToken);

    public Task<bool> DeleteAsync(RemotePath path, CancellationToken cancellationToken) => inner.DeleteAsync(path, cancellationToken);

    public Task MoveAsync(RemotePath from, RemotePath to, CancellationToken cancellationToken) => inner.MoveAsync(from, to, cancellationToken);

    public Task<RemoteUsage?> AboutAsync(string remote, CancellationToken cancellationToken) => inner.AboutAsync(remote, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
