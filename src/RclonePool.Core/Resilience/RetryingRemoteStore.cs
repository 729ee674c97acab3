using System.Runtime.CompilerServices;
using Polly;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Resilience;

/// <summary>
/// Retries the calls of the store it wraps through a <see cref="RetryPipelines"/> pipeline: only failures classed
/// as transient are tried again (with backoff and jitter); permanent ones (not found, permission, quota, bad input)
/// pass through at once. Calls are retried only where a repeat is safe:
/// <list type="bullet">
/// <item>writes whose content stream can seek back to where it started (manifests, descriptors); a one-pass stream
/// is the caller's to retry (chunk uploads retry with a fresh object id and a fresh source);</item>
/// <item>listings until their first item arrives (a listing that fails half-way through is not resumed);</item>
/// <item>ranged-read opens, stat and delete (a repeat that finds the object gone answers "did not exist");</item>
/// <item>not moves (a move that may have happened cannot be told from one that did not), and not about: free space
/// only guides placement, and a remote that does not answer is better skipped at once than waited for.</item>
/// </list>
/// With a <see cref="RemoteCircuitBreaker"/>, every call (retried or not) first asks the remote's circuit: a remote that
/// failed transiently too many times in a row is rejected at once, and the rejection is not retried. With a
/// <see cref="RemoteWatchdog"/>, every call and read waiting on a remote is watched: a remote that stays silent, or
/// fails a call transiently and then does not answer a probe, is tripped at once (no retries spent on it), and the
/// calls waiting on it end with the rejection.
/// Forwards every capability of the store it wraps (<see cref="IRemoteStoreCapability"/>); a batched write is retried
/// as a whole.
/// </summary>
public sealed class RetryingRemoteStore(
    IRemoteStore inner, ResiliencePipeline pipeline, RemoteCircuitBreaker? breaker = null, RemoteWatchdog? watchdog = null) : IRemoteStore, IBatchedWrites, ILocalDirectoryLookup, IRemoteHashes, IRemoteCopies
{
    public async Task WriteAsync(RemotePath target, Stream content, long length, CancellationToken cancellationToken)
    {
        // The body the remote takes is a sign of life: a long upload to a slow remote is not mistaken for a silent one.
        await using var watched = watchdog is null ? null : new WatchedWriteContent(content, target.Remote, watchdog);
        content = watched ?? content;
        if (!content.CanSeek)
        {
            await GuardedAsync(target.Remote, ct => inner.WriteAsync(target, content, length, ct), cancellationToken);
            return;
        }

        var start = content.Position;
        await pipeline.ExecuteAsync(async ct =>
        {
            content.Position = start;
            await GuardedAsync(target.Remote, ct2 => inner.WriteAsync(target, content, length, ct2), ct);
        }, cancellationToken);
    }

    public async Task WriteManyAsync(RemotePath directory, IReadOnlyList<NamedBytes> objects, CancellationToken cancellationToken) =>
        await pipeline.ExecuteAsync(async ct => await GuardedAsync(directory.Remote, ct2 => inner.WriteManyAsync(directory, objects, ct2), ct), cancellationToken);

    public async Task<Stream> OpenReadAsync(RemotePath source, long offset, long count, CancellationToken cancellationToken)
    {
        var stream = await pipeline.ExecuteAsync(async ct => await GuardedAsync(source.Remote, ct2 => inner.OpenReadAsync(source, offset, count, ct2), ct), cancellationToken);

        // A local file cannot hang the way a connection can; everything else is watched while it is read.
        return watchdog is null || breaker is null || stream.CanSeek ? stream : new WatchedReadStream(stream, source.Remote, watchdog, breaker);
    }

    public async IAsyncEnumerable<RemoteEntry> ListAsync(RemotePath directory, bool recursive, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (items, more) = await pipeline.ExecuteAsync(async _ => await GuardedAsync(directory.Remote, async _ =>
        {
            var attempt = inner.ListAsync(directory, recursive, cancellationToken).GetAsyncEnumerator(cancellationToken);
            try
            {
                return (attempt, await attempt.MoveNextAsync());
            }
            catch
            {
                await attempt.DisposeAsync();
                throw;
            }
        }, cancellationToken), cancellationToken);

        await using (items)
        {
            while (more)
            {
                yield return items.Current;
                more = await items.MoveNextAsync();
            }
        }
    }

    public async Task<RemoteEntry?> StatAsync(RemotePath path, CancellationToken cancellationToken) =>
        await pipeline.ExecuteAsync(async ct => await GuardedAsync(path.Remote, ct2 => inner.StatAsync(path, ct2), ct), cancellationToken);

    public async Task<bool> DeleteAsync(RemotePath path, CancellationToken cancellationToken) =>
        await pipeline.ExecuteAsync(async ct => await GuardedAsync(path.Remote, ct2 => inner.DeleteAsync(path, ct2), ct), cancellationToken);

    public Task MoveAsync(RemotePath from, RemotePath to, CancellationToken cancellationToken) =>
        GuardedAsync(from.Remote, ct => inner.MoveAsync(from, to, ct), cancellationToken);

    /// <summary>A copy goes to a fresh object name, so a failed attempt is simply made again.</summary>
    public async Task<bool> CopyAsync(RemotePath from, RemotePath to, CancellationToken cancellationToken) =>
        await pipeline.ExecuteAsync(async ct => await GuardedAsync(to.Remote, ct2 => inner.TryCopyAsync(from, to, ct2), ct), cancellationToken);

    public Task<RemoteUsage?> AboutAsync(string remote, CancellationToken cancellationToken) =>
        GuardedAsync(remote, ct => inner.AboutAsync(remote, ct), cancellationToken);

    public Task<string?> LocalDirectoryAsync(string remote, CancellationToken cancellationToken) => inner.LocalDirectoryAsync(remote, cancellationToken);

    public async Task<IReadOnlyList<string>> HashTypesAsync(string remote, CancellationToken cancellationToken) =>
        await pipeline.ExecuteAsync(async ct => await GuardedAsync(remote, ct2 => inner.HashTypesAsync(remote, ct2), ct), cancellationToken);

    public async Task<string?> HashAsync(RemotePath path, string type, CancellationToken cancellationToken) =>
        await pipeline.ExecuteAsync(async ct => await GuardedAsync(path.Remote, ct2 => inner.HashAsync(path, type, ct2), ct), cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    /// <summary>
    /// One call through the remote's circuit: rejected at once when it is open, its outcome recorded. A call that fails
    /// transiently has the remote probed first: a remote that does not answer is tripped, and the call ends with the
    /// rejection, which is not retried.
    /// </summary>
    private async Task<T> GuardedAsync<T>(string remote, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        if (breaker is null)
        {
            return await call(cancellationToken);
        }

        if (breaker.ThrowIfOpen(remote) && watchdog is not null && !await watchdog.IsAliveAsync(remote, cancellationToken))
        {
            throw breaker.RejectionFor(remote);
        }

        if (watchdog is null)
        {
            try
            {
                var answer = await call(cancellationToken);
                breaker.OnAnswer(remote);
                return answer;
            }
            catch (Exception e) when (Record(remote, e))
            {
                throw;
            }
        }

        var down = breaker.DownToken(remote);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, down);
        var wait = watchdog.Begin(remote);
        try
        {
            var result = await call(linked.Token);
            watchdog.Answered(remote);
            breaker.OnAnswer(remote);
            return result;
        }
        catch (Exception) when (down.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw breaker.RejectionFor(remote);
        }
        catch (Exception e) when (RemoteCircuitBreaker.IsTransient(e) && !RemoteCircuitBreaker.IsRejection(e) && !cancellationToken.IsCancellationRequested)
        {
            wait.Dispose();
            if (!await watchdog.IsAliveAsync(remote, cancellationToken))
            {
                throw breaker.RejectionFor(remote);
            }

            breaker.OnFailure(remote, e);
            throw;
        }
        catch (Exception e) when (Record(remote, e))
        {
            throw;
        }
        finally
        {
            wait.Dispose();
        }
    }

    private async Task GuardedAsync(string remote, Func<CancellationToken, Task> call, CancellationToken cancellationToken) =>
        await GuardedAsync(remote, async ct =>
        {
            await call(ct);
            return true;
        }, cancellationToken);

    /// <summary>Records the failure; always false, so the exception filter lets it through untouched.</summary>
    private bool Record(string remote, Exception e)
    {
        breaker!.OnFailure(remote, e);
        return false;
    }
}
