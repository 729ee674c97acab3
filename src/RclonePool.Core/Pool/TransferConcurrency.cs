using RclonePool.Core.Remotes;

namespace RclonePool.Core.Pool;

/// <summary>
/// How many chunk transfers an operation keeps in flight when <c>max_parallel_workers</c> is "auto". A local directory
/// answers at once, so <see cref="LocalPool"/> transfers keep the disks and the CPU busy. A remote across a network
/// (a cloud account) is idle while rclone makes the round trips around each transfer (a MKCOL before a WebDAV PUT, a
/// PROPFIND after it): with one transfer per remote it sends data only part of the time, so each such remote gets
/// <see cref="PerNetworkRemote"/>. Learned once per pool (the answers of <see cref="RemoteStoreCapabilities.LocalDirectoryAsync"/>,
/// which the store caches and its writes ask anyway), and again when remotes join. A remote that has not answered within
/// <see cref="AnswerWait"/> (down, frozen, or slow to start) counts as a network remote for this call and is asked again
/// next time, so a dead account does not hold up an operation's start. Thread-safe.
/// </summary>
internal sealed class TransferConcurrency(IRemoteStore store, PoolRemoteSet remotes, TimeProvider time, TimeSpan? answerWait = null)
{
    /// <summary>How long an operation waits for the remotes to say whether they are local directories, by default.</summary>
    public static readonly TimeSpan AnswerWait = TimeSpan.FromSeconds(2);

    /// <summary>Transfers when every remote is a local directory, and the least in any pool.</summary>
    public const int LocalPool = 4;

    /// <summary>Transfers per remote that is not a local directory.</summary>
    public const int PerNetworkRemote = 2;

    /// <summary>The most "auto" asks for, however many remotes.</summary>
    public const int Most = 32;

    private Known? _known;

    /// <summary>The number of transfers for the pool's remotes as they are now.</summary>
    public Task<int> AutoAsync(CancellationToken cancellationToken)
    {
        var count = remotes.Count;
        var known = Volatile.Read(ref _known);
        if (known is null || known.Remotes != count)
        {
            known = new Known(count);
            known.Workers = CountAsync(known, remotes.ToList());
            Volatile.Write(ref _known, known);
        }

        return known.Workers.WaitAsync(cancellationToken);
    }

    /// <summary>The rule itself: at least <see cref="LocalPool"/>, <see cref="PerNetworkRemote"/> per network remote, at most <see cref="Most"/>.</summary>
    public static int For(int networkRemotes) => Math.Clamp(PerNetworkRemote * networkRemotes, LocalPool, Most);

    private async Task<int> CountAsync(Known known, List<PoolRemote> list)
    {
        await Task.Yield();

        // Not tied to one caller's cancellation: the answer is shared. A remote that cannot say counts as a network one.
        var answers = list.Select(async r =>
        {
            try
            {
                return await store.LocalDirectoryAsync(r.Storage, CancellationToken.None) is not null;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return false;
            }
        }).ToList();
        var all = Task.WhenAll(answers);
        using var stop = new CancellationTokenSource();
        if (await Task.WhenAny(all, Task.Delay(answerWait ?? AnswerWait, time, stop.Token)) != all)
        {
            // Asked again next time (the late answers are cached by then); this operation goes on without them.
            Interlocked.CompareExchange(ref _known, null, known);
        }

        await stop.CancelAsync();
        return For(answers.Count(a => !a.IsCompletedSuccessfully || !a.Result));
    }

    private sealed class Known(int remotes)
    {
        public int Remotes { get; } = remotes;

        public Task<int> Workers { get; set; } = Task.FromResult(LocalPool);
    }
}
