using System.Collections.Concurrent;
using RclonePool.Core.Remotes;

namespace RclonePool.Tests.Unit.Support;

/// <summary>
/// Wraps a store and records every ranged read opened (object, offset, count). Reads of chosen objects can be held
/// at a gate: opening them waits until the gate opens (or the read is cancelled, which is counted).
/// </summary>
internal sealed class RecordingRemoteStore(IRemoteStore inner) : IRemoteStore
{
    private readonly ConcurrentQueue<RemoteRead> _reads = new();
    private int _cancelled;

    public IReadOnlyCollection<RemoteRead> Reads => _reads;

    /// <summary>Reads cancelled while held at the gate.</summary>
    public int Cancelled => Volatile.Read(ref _cancelled);

    /// <summary>Objects (paths on their remote) whose reads wait at <see cref="Gate"/>.</summary>
    public ConcurrentDictionary<string, bool> Held { get; } = new(StringComparer.Ordinal);

    public TaskCompletionSource Gate { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IEnumerable<RemoteRead> ReadsOf(string objectPath) => _reads.Where(r => r.Object == objectPath);

    public void Clear() => _reads.Clear();

    public async Task<Stream> OpenReadAsync(RemotePath source, long offset, long count, CancellationToken cancellationToken)
    {
        _reads.Enqueue(new RemoteRead(source.Path, offset, count));
        if (Held.ContainsKey(source.Path))
        {
            try
            {
                await Gate.Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref _cancelled);
                throw;
            }
        }

        return await inner.OpenReadAsync(source, offset, count, cancellationToken);
    }

    public Task WriteAsync(RemotePath target, Stream content, long length, CancellationToken cancellationToken) => inner.WriteAsync(target, content, length, cancellationToken);

    public IAsyncEnumerable<RemoteEntry> ListAsync(RemotePath directory, bool recursive, CancellationToken cancellationToken) => inner.ListAsync(directory, recursive, cancellationToken);

    public Task<RemoteEntry?> StatAsync(RemotePath path, CancellationToken cancellationToken) => inner.StatAsync(path, cancellationToken);

    public Task<bool> DeleteAsync(RemotePath path, CancellationToken cancellationToken) => inner.DeleteAsync(path, cancellationToken);

    public Task MoveAsync(RemotePath from, RemotePath to, CancellationToken cancellationToken) => inner.MoveAsync(from, to, cancellationToken);

    public Task<RemoteUsage?> AboutAsync(string remote, CancellationToken cancellationToken) => inner.AboutAsync(remote, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>One ranged read opened on a remote.</summary>
internal sealed record RemoteRead(string Object, long Offset, long Count);
