namespace RclonePool.Core.Caching;

/// <summary>
/// One ranged fetch of consecutive blocks of a chunk. Readers of a block the job is fetching wait on it (single
/// flight). A background job lands blocks in the cache file front to back and signals each one; a read-through job
/// (<see cref="Inline"/> set) is a reader fetching the blocks for itself until another reader needs them.
/// </summary>
internal sealed class FillJob
{
    private readonly TaskCompletionSource _finish = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _progress = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile int _landed;
    private volatile bool _finished;

    public FillJob(CacheEntry entry, IChunkSource source, BlockRange blocks, bool prefetch, CancellationTokenSource cancellation)
    {
        Entry = entry;
        Source = source;
        Blocks = blocks;
        IsPrefetch = prefetch;
        Cancellation = cancellation;
        _landed = blocks.From;
    }

    public CacheEntry Entry { get; }

    public IChunkSource Source { get; }

    public BlockRange Blocks { get; }

    public bool IsPrefetch { get; }

    /// <summary>Cancelled when the reader that started the job goes away, or the cache shuts down.</summary>
    public CancellationTokenSource Cancellation { get; }

    /// <summary>Completes when the job has ended and given back what it did not land (never faults).</summary>
    public Task Completion => _finish.Task;

    /// <summary>The first block not landed (or passed by the read-through) yet.</summary>
    public int Landed => _landed;

    /// <summary>The read-through fetching these blocks for its own reader; null once it runs in the background.</summary>
    public ReadThrough? Inline { get; set; }

    /// <summary>An open remote read handed over by a promoted read-through, positioned at <see cref="Landed"/>.</summary>
    public IBlockRun? HandedRun { get; set; }

    /// <summary>The remote or integrity failure that ended the job early; readers of the blocks it did not land see it.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>The job stopped because the cache file could not be written: readers fall back to the remotes.</summary>
    public bool CacheFailed { get; private set; }

    /// <summary>Block <paramref name="block"/> is in the cache file (or, for a read-through, passed to its reader).</summary>
    public void Land(int block)
    {
        _landed = block + 1;
        Signal();
    }

    public void Finish(Exception? failure, bool cacheFailed)
    {
        Failure = failure;
        CacheFailed = cacheFailed;
        _finished = true;
        Signal();
        _finish.TrySetResult();
    }

    /// <summary>Waits until <paramref name="block"/> has landed or the job has ended.</summary>
    public async ValueTask WaitAsync(int block, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Take the signal before testing, so a block landing in between completes the signal we wait on.
            var signal = Volatile.Read(ref _progress).Task;
            if (_landed > block || _finished)
            {
                return;
            }

            await signal.WaitAsync(cancellationToken);
        }
    }

    private void Signal() =>
        Interlocked.Exchange(ref _progress, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
