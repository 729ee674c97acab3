using RclonePool.Core.Paths;
using RclonePool.Core.Pool;

namespace RclonePool.Server.Api;

/// <summary>
/// Files, directories and bytes in the pool for <c>GET status</c> and <c>GET stats</c>. A pool of remotes answers from its
/// index's running totals (<see cref="StoragePool.TotalsAsync"/>: a few rows, however large the pool), so the count is
/// always current. Another <see cref="IPoolFileSystem"/> is counted by a recursive listing, kept for a few seconds so that
/// status stays cheap under load: a stale count is answered at once while one refresh runs in the background.
/// </summary>
internal sealed class PoolSummary(IPoolFileSystem pool, TimeProvider time) : IDisposable
{
    private static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim _counting = new(1, 1);
    private Counts? _last;

    /// <summary>What the pool holds.</summary>
    public sealed record Counts(long Files, long Directories, long Bytes, DateTimeOffset At);

    public async ValueTask<Counts> GetAsync(CancellationToken cancellationToken)
    {
        if (pool is StoragePool indexed)
        {
            var totals = await indexed.TotalsAsync(cancellationToken);
            return new Counts(totals.Files, totals.Directories, totals.Bytes, time.GetUtcNow());
        }

        var last = Volatile.Read(ref _last);
        if (last is null)
        {
            return await RefreshAsync(wait: true, cancellationToken) ?? Volatile.Read(ref _last)!;
        }

        if (time.GetUtcNow() - last.At > FreshFor)
        {
            _ = RefreshAsync(wait: false, CancellationToken.None);
        }

        return last;
    }

    /// <summary>Forgets the counts (after a change made through the API), so the next status counts again.</summary>
    public void Invalidate() => Volatile.Write(ref _last, null);

    private async Task<Counts?> RefreshAsync(bool wait, CancellationToken cancellationToken)
    {
        if (!await _counting.WaitAsync(wait ? Timeout.Infinite : 0, cancellationToken))
        {
            return null;
        }

        try
        {
            if (wait && Volatile.Read(ref _last) is { } counted)
            {
                return counted; // another request counted while this one waited
            }

            long files = 0, directories = 0, bytes = 0;
            await foreach (var entry in pool.ListAsync(PoolPath.Root, recursive: true, cancellationToken))
            {
                if (entry.IsDirectory)
                {
                    directories++;
                }
                else
                {
                    files++;
                    bytes += entry.Size;
                }
            }

            var counts = new Counts(files, directories, bytes, time.GetUtcNow());
            Volatile.Write(ref _last, counts);
            return counts;
        }
        catch (Exception) when (!wait)
        {
            return null; // a background refresh that failed leaves the last counts; the next status tries again
        }
        finally
        {
            _counting.Release();
        }
    }

    public void Dispose() => _counting.Dispose();
}
