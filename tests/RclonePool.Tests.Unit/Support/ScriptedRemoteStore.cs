using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using RclonePool.Core.Errors;
using RclonePool.Core.Remotes;

namespace RclonePool.Tests.Unit.Support;

/// <summary>
/// Wraps a store and fails calls as a script says: <see cref="Fail"/> is asked before every call (operation name and
/// target) and returns the exception to throw, or null to pass the call through. Counts calls per operation.
/// </summary>
internal sealed class ScriptedRemoteStore(IRemoteStore inner) : IRemoteStore
{
    public Func<string, RemotePath, PoolException?> Fail { get; set; } = (_, _) => null;

    public ConcurrentDictionary<string, int> Calls { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// When set, a write runs to its end on the remote even if its caller cancels it, and the caller then sees the
    /// cancellation: as with rclone, where a request already sent completes though nobody waits for its answer.
    /// </summary>
    public bool WritesOutliveCancellation { get; set; }

    /// <summary>Fails the first <paramref name="times"/> calls of <paramref name="operation"/> with <paramref name="kind"/>.</summary>
    public void FailFirst(string operation, int times, PoolErrorKind kind)
    {
        var left = times;
        Fail = (op, target) => op == operation && Interlocked.Decrement(ref left) >= 0 ? new PoolException(kind, $"injected {kind} failure on {target}") : null;
    }

    private void Before(string operation, RemotePath target)
    {
        Calls.AddOrUpdate(operation, 1, (_, n) => n + 1);
        if (Fail(operation, target) is { } e)
        {
            throw e;
        }
    }

    public async Task WriteAsync(RemotePath target, Stream content, long length, CancellationToken cancellationToken)
    {
        Before("write", target);
        if (WritesOutliveCancellation)
        {
            await inner.WriteAsync(target, content, length, CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            return;
        }

        await inner.WriteAsync(target, content, length, cancellationToken);
    }

    public Task<Stream> OpenReadAsync(RemotePath source, long offset, long count, CancellationToken cancellationToken)
    {
        Before("read", source);
        return inner.OpenReadAsync(source, offset, count, cancellationToken);
    }

    public async IAsyncEnumerable<RemoteEntry> ListAsync(RemotePath directory, bool recursive, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Before("list", directory);
        await foreach (var entry in inner.ListAsync(directory, recursive, cancellationToken))
        {
            yield return entry;
        }
    }

    public Task<RemoteEntry?> StatAsync(RemotePath path, CancellationToken cancellationToken)
    {
        Before("stat", path);
        return inner.StatAsync(path, cancellationToken);
    }

    public Task<bool> DeleteAsync(RemotePath path, CancellationToken cancellationToken)
    {
        Before("delete", path);
        return inner.DeleteAsync(path, cancellationToken);
    }

    public Task MoveAsync(RemotePath from, RemotePath to, CancellationToken cancellationToken)
    {
        Before("move", from);
        return inner.MoveAsync(from, to, cancellationToken);
    }

    public Task<RemoteUsage?> AboutAsync(string remote, CancellationToken cancellationToken)
    {
        Before("about", new RemotePath(remote, ""));
        return inner.AboutAsync(remote, cancellationToken);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
