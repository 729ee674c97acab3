using System.Runtime.CompilerServices;
using RclonePool.Core.Errors;
using RclonePool.Core.Events;

namespace RclonePool.Core.Remotes;

/// <summary>
/// Publishes <see cref="PoolEventType.RemoteError"/> for every failed call of the store it wraps (a missing object is
/// an answer, not an error, and is not published), then lets the failure through unchanged. Counts the calls.
/// Forwards every capability of the store it wraps (<see cref="IRemoteStoreCapability"/>).
/// </summary>
public sealed class ReportingRemoteStore(IRemoteStore inner, PoolEventBus events, Func<string, string>? remoteName = null) : IRemoteStore, IBatchedWrites, ILocalDirectoryLookup, IRemoteHashes, IRemoteCopies
{
    private long _calls;

    /// <summary>Calls made through this store so far (each retry attempt counts).</summary>
    public long Calls => Interlocked.Read(ref _calls);

    public async Task WriteAsync(RemotePath target, Stream content, long length, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        try
        {
            await inner.WriteAsync(target, content, length, cancellationToken);
        }
        catch (Exception e) when (Report(e, "write", target))
        {
            throw;
        }
    }

    public async Task WriteManyAsync(RemotePath directory, IReadOnlyList<NamedBytes> objects, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        try
        {
            await inner.WriteManyAsync(directory, objects, cancellationToken);
        }
        catch (Exception e) when (Report(e, "write", directory))
        {
            throw;
        }
    }

    public async Task<Stream> OpenReadAsync(RemotePath source, long offset, long count, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        try
        {
            return await inner.OpenReadAsync(source, offset, count, cancellationToken);
        }
        catch (Exception e) when (Report(e, "read", source))
        {
            throw;
        }
    }

    public async IAsyncEnumerable<RemoteEntry> ListAsync(RemotePath directory, bool recursive, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        await using var items = inner.ListAsync(directory, recursive, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            bool more;
            try
            {
                more = await items.MoveNextAsync();
            }
            catch (Exception e) when (Report(e, "list", directory))
            {
                throw;
            }

            if (!more)
            {
                yield break;
            }

            yield return items.Current;
        }
    }

    public async Task<RemoteEntry?> StatAsync(RemotePath path, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        try
        {
            return await inner.StatAsync(path, cancellationToken);
        }
        catch (Exception e) when (Report(e, "stat", path))
        {
            throw;
        }
    }

    public async Task<bool> DeleteAsync(RemotePath path, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        try
        {
            return await inner.DeleteAsync(path, cancellationToken);
        }
        catch (Exception e) when (Report(e, "delete", path))
        {
            throw;
        }
    }

    public async Task<bool> CopyAsync(RemotePath from, RemotePath to, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        try
        {
            return await inner.TryCopyAsync(from, to, cancellationToken);
        }
        catch (Exception e) when (Report(e, "copy", to))
        {
            throw;
        }
    }

    public async Task MoveAsync(RemotePath from, RemotePath to, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        try
        {
            await inner.MoveAsync(from, to, cancellationToken);
        }
        catch (Exception e) when (Report(e, "move", from))
        {
            throw;
        }
    }

    public async Task<RemoteUsage?> AboutAsync(string remote, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        try
        {
            return await inner.AboutAsync(remote, cancellationToken);
        }
        catch (Exception e) when (Report(e, "about", new RemotePath(remote, "")))
        {
            throw;
        }
    }

    public async Task<string?> LocalDirectoryAsync(string remote, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return await inner.LocalDirectoryAsync(remote, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> HashTypesAsync(string remote, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return await inner.HashTypesAsync(remote, cancellationToken);
    }

    public async Task<string?> HashAsync(RemotePath path, string type, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return await inner.HashAsync(path, type, cancellationToken);
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    /// <summary>Publishes the failure; always false, so the exception filter lets it through untouched.</summary>
    private bool Report(Exception e, string operation, RemotePath target)
    {
        var kind = e switch
        {
            PoolException pe => pe.Kind,
            OperationCanceledException => (PoolErrorKind?)null,
            HttpRequestException or IOException => PoolErrorKind.Transient,
            _ => null,
        };
        if (kind is null or PoolErrorKind.NotFound || !events.HasSubscribers)
        {
            return false;
        }

        events.Publish(new PoolEvent
        {
            Type = PoolEventType.RemoteError,
            Remote = remoteName?.Invoke(target.Remote) ?? target.Remote,
            Object = target.Path.Length == 0 ? null : target.Path,
            Operation = operation,
            ErrorKind = kind,
            Detail = e.Message,
        });
        return false;
    }
}
