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
/// </summary>
public sealed class RetryingRemoteStore(IRemoteStore inner, ResiliencePipeline pipeline) : IRemoteStore
{
    public async Task WriteAsync(RemotePath target, Stream content, long length, CancellationToken cancellationToken)
    {
        if (!content.CanSeek)
        {
            await inner.WriteAsync(target, content, length, cancellationToken);
            return;
        }

        var start = content.Position;
        await pipeline.ExecuteAsync(async ct =>
        {
            content.Position = start;
            await inner.WriteAsync(target, content, length, ct);
        }, cancellationToken);
    }

    public async Task WriteManyAsync(RemotePath directory, IReadOnlyList<NamedBytes> objects, CancellationToken cancellationToken) =>
        await pipeline.ExecuteAsync(async ct => await inner.WriteManyAsync(directory, objects, ct), cancellationToken);

    public async Task<Stream> OpenReadAsync(RemotePath source, long offset, long count, CancellationToken cancellationToken) =>
        await pipeline.ExecuteAsync(async ct => await inner.OpenReadAsync(source, offset, count, ct), cancellationToken);

    public async IAsyncEnumerable<RemoteEntry> ListAsync(RemotePath directory, bool recursive, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (items, more) = await pipeline.ExecuteAsync(async _ =>
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
        }, cancellationToken);

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
        await pipeline.ExecuteAsync(async ct => await inner.StatAsync(path, ct), cancellationToken);

    public async Task<bool> DeleteAsync(RemotePath path, CancellationToken cancellationToken) =>
        await pipeline.ExecuteAsync(async ct => await inner.DeleteAsync(path, ct), cancellationToken);

    public Task MoveAsync(RemotePath from, RemotePath to, CancellationToken cancellationToken) => inner.MoveAsync(from, to, cancellationToken);

    public Task<RemoteUsage?> AboutAsync(string remote, CancellationToken cancellationToken) => inner.AboutAsync(remote, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
