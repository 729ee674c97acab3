namespace RclonePool.Core.Caching;

/// <summary>Read-through: large reads fetch for themselves, and become shared background fetches when another reader needs their blocks.</summary>
public sealed partial class ChunkCache
{
    private long _readThroughBlocks;
    private long _promotions;

    public ReadThrough? ClaimReadThrough(IChunkSource chunk, int block, BlockRange blocks, CancellationToken lifetime)
    {
        lock (_gate)
        {
            var entry = _disposed || _unusable || lifetime.IsCancellationRequested ? null : Lookup(chunk);
            if (entry is null || entry.States[block] != BlockState.Absent)
            {
                return null;
            }

            Touch(entry);
            var end = block + 1;
            while (end < blocks.To && entry.States[end] == BlockState.Absent)
            {
                end++;
            }

            // Claimed, not reserved: nothing is written unless the fetch is promoted, which reserves then.
            var job = new FillJob(entry, chunk, new BlockRange(block, end), prefetch: false, CancellationTokenSource.CreateLinkedTokenSource(lifetime, _shutdown.Token));
            for (var b = block; b < end; b++)
            {
                entry.States[b] = BlockState.Filling;
                entry.Jobs[b] = job;
            }

            entry.Pins++;
            _jobs.Add(job);
            var readThrough = new ReadThrough(this, job);
            job.Inline = readThrough;
            return readThrough;
        }
    }

    internal async ValueTask<bool> ReadThroughNextAsync(ReadThrough readThrough, Memory<byte> destination, CancellationToken cancellationToken)
    {
        int block;
        lock (_gate)
        {
            if (readThrough.State is ReadThroughState.Promoted or ReadThroughState.Ended)
            {
                return false;
            }

            block = readThrough.NextBlock;
            readThrough.Busy = true;
        }

        var job = readThrough.Job;
        int length;
        try
        {
            // The remote read lives as long as the reader (a background job may take it over), not one call.
            if (readThrough.Run is null)
            {
                readThrough.Run = await job.Source.OpenAsync(new BlockRange(block, job.Blocks.To), job.Cancellation.Token);
                Interlocked.Increment(ref _fetches);
            }

            length = await readThrough.Run.ReadNextAsync(destination, cancellationToken);
        }
        catch (Exception e)
        {
            lock (_gate)
            {
                readThrough.Busy = false;
                EndInline(readThrough, e is OperationCanceledException ? null : e, cacheFailed: false);
            }

            await CloseRunAsync(readThrough);
            throw;
        }

        Interlocked.Increment(ref _readThroughBlocks);
        Interlocked.Increment(ref _misses);
        List<FillJob>? started = null;
        lock (_gate)
        {
            readThrough.Busy = false;
            readThrough.NextBlock = block + 1;
            if (readThrough.State == ReadThroughState.Inline)
            {
                if (!readThrough.PromotionRequested)
                {
                    // Alone: pass the block without caching it.
                    job.Entry.States[block] = BlockState.Absent;
                    job.Entry.Jobs[block] = null;
                    job.Land(block);
                    if (readThrough.NextBlock == job.Blocks.To)
                    {
                        EndInline(readThrough, failure: null, cacheFailed: false);
                    }
                }
                else if (Reserve(job, block))
                {
                    readThrough.State = ReadThroughState.Promoting;
                }
                else
                {
                    Detach(readThrough);
                }
            }
        }

        if (readThrough.State == ReadThroughState.Promoting)
        {
            // Someone waits (perhaps for this very block): keep it, then let a background job fetch the rest.
            var written = TryWrite(job.Entry, block, destination.Span[..length]);
            lock (_gate)
            {
                if (readThrough.State != ReadThroughState.Promoting)
                {
                    // Detached meanwhile (the cache is closing): go on reading directly.
                }
                else if (written)
                {
                    job.Entry.States[block] = BlockState.Present;
                    job.Entry.Jobs[block] = null;
                    job.Land(block);
                    started = Promote(readThrough);
                }
                else
                {
                    Detach(readThrough);
                }
            }
        }

        Start(started);
        DeleteDoomed();
        return true;
    }

    internal async ValueTask EndReadThroughAsync(ReadThrough readThrough)
    {
        bool promoted;
        lock (_gate)
        {
            if (readThrough.State == ReadThroughState.Inline)
            {
                EndInline(readThrough, failure: null, cacheFailed: false);
            }

            if (readThrough.State == ReadThroughState.Detached)
            {
                readThrough.State = ReadThroughState.Ended;
            }

            promoted = readThrough.State == ReadThroughState.Promoted;
        }

        await CloseRunAsync(readThrough);
        if (!promoted)
        {
            // A promoted job's background run owns (and disposes) its cancellation.
            readThrough.Job.Cancellation.Dispose();
        }

        DeleteDoomed();
    }

    /// <summary>Called under the lock by a reader about to wait for a block a read-through has claimed.</summary>
    private List<FillJob>? RequestPromotion(FillJob job)
    {
        if (job.Inline is not { State: ReadThroughState.Inline } readThrough)
        {
            return null;
        }

        readThrough.PromotionRequested = true;
        if (readThrough.Busy)
        {
            return null; // The reader promotes it when the block it is reading arrives.
        }

        if (Reserve(job, readThrough.NextBlock))
        {
            return Promote(readThrough);
        }

        Detach(readThrough);
        return null;
    }

    /// <summary>Reserves room for the claimed blocks from <paramref name="from"/> on, and makes sure the cache file exists.</summary>
    private bool Reserve(FillJob job, int from)
    {
        var entry = job.Entry;
        long bytes = 0;
        for (var b = from; b < job.Blocks.To; b++)
        {
            bytes += entry.BlockLength(b);
        }

        if (!TryReserve(bytes, entry, prefetch: false))
        {
            return false;
        }

        if (!EnsureFile(entry))
        {
            _reserved -= bytes;
            return false;
        }

        entry.Bytes += bytes;
        return true;
    }

    /// <summary>Hands the open remote read to a background job that lands the remaining claimed blocks.</summary>
    private List<FillJob> Promote(ReadThrough readThrough)
    {
        var job = readThrough.Job;
        readThrough.State = ReadThroughState.Promoted;
        job.Inline = null;
        job.HandedRun = readThrough.Run;
        readThrough.Run = null;
        Interlocked.Increment(ref _promotions);
        return [job];
    }

    /// <summary>No room to share the fetch: give the claims back (waiters read the remote themselves); the reader goes on directly.</summary>
    private void Detach(ReadThrough readThrough)
    {
        EndInline(readThrough, failure: null, cacheFailed: true);
        readThrough.State = ReadThroughState.Detached;
    }

    /// <summary>Gives back the blocks a read-through still claims, and ends its job for any waiter.</summary>
    private void EndInline(ReadThrough readThrough, Exception? failure, bool cacheFailed)
    {
        if (readThrough.State is not (ReadThroughState.Inline or ReadThroughState.Promoting))
        {
            return;
        }

        var job = readThrough.Job;
        var entry = job.Entry;
        var reservedFrom = readThrough.State == ReadThroughState.Promoting ? readThrough.NextBlock - 1 : int.MaxValue;
        for (var b = job.Blocks.From; b < job.Blocks.To; b++)
        {
            if (entry.Jobs[b] == job)
            {
                entry.States[b] = BlockState.Absent;
                entry.Jobs[b] = null;
                if (b >= reservedFrom && !entry.Removed)
                {
                    Release(entry, entry.BlockLength(b));
                }
            }
        }

        readThrough.State = ReadThroughState.Ended;
        job.Inline = null;
        entry.Pins--;
        _jobs.Remove(job);
        DropIfUnused(entry);
        job.Finish(failure, cacheFailed);
    }

    private bool TryWrite(CacheEntry entry, int block, ReadOnlySpan<byte> bytes)
    {
        try
        {
            RandomAccess.Write((entry.File ?? throw new ObjectDisposedException(entry.FileName)).SafeFileHandle, bytes, (long)block * entry.BlockSize);
            return true;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or UnauthorizedAccessException)
        {
            CacheLog.WriteFailed(_logger, entry.Id, e.Message);
            return false;
        }
    }

    private static async ValueTask CloseRunAsync(ReadThrough readThrough)
    {
        if (readThrough.Run is { } run)
        {
            readThrough.Run = null;
            await run.DisposeAsync();
        }
    }
}
