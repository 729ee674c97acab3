using System.Buffers;

namespace RclonePool.Core.Caching;

/// <summary>Fetching: claiming missing blocks for a job, and the jobs that fetch them into the cache file.</summary>
public sealed partial class ChunkCache
{
    /// <summary>
    /// Reserves room for the missing blocks of <paramref name="blocks"/> and hands each run of consecutive missing
    /// blocks to a new job (one ranged read each), marking them Filling. Returns the jobs to start (possibly none),
    /// or null when the room cannot be had or the cache file cannot be created.
    /// </summary>
    private List<FillJob>? Claim(CacheEntry entry, IChunkSource chunk, BlockRange blocks, bool prefetch, CancellationToken lifetime)
    {
        long missing = 0;
        for (var b = blocks.From; b < blocks.To; b++)
        {
            if (entry.States[b] == BlockState.Absent)
            {
                missing += entry.BlockLength(b);
            }
        }

        var jobs = new List<FillJob>();
        if (missing == 0)
        {
            return jobs;
        }

        if (!TryReserve(missing, entry, prefetch))
        {
            return null;
        }

        if (!EnsureFile(entry))
        {
            _reserved -= missing;
            return null;
        }

        entry.Bytes += missing;
        var block = blocks.From;
        while (block < blocks.To)
        {
            if (entry.States[block] != BlockState.Absent)
            {
                block++;
                continue;
            }

            var end = block + 1;
            while (end < blocks.To && entry.States[end] == BlockState.Absent)
            {
                end++;
            }

            var job = new FillJob(entry, chunk, new BlockRange(block, end), prefetch, CancellationTokenSource.CreateLinkedTokenSource(lifetime, _shutdown.Token));
            for (var i = block; i < end; i++)
            {
                entry.States[i] = BlockState.Filling;
                entry.Jobs[i] = job;
            }

            entry.Pins++;
            _jobs.Add(job);
            jobs.Add(job);
            block = end;
        }

        if (prefetch)
        {
            entry.Unread = true;
            entry.PrefetchedFor = lifetime;
            Interlocked.Add(ref _prefetches, jobs.Count);
        }

        return jobs;
    }

    private bool EnsureFile(CacheEntry entry)
    {
        if (entry.File is not null)
        {
            return true;
        }

        try
        {
            if (_directory is null)
            {
                _directory = CacheDirectory.Create(_tempDir, _logger);
                CacheLog.Started(_logger, CapacityBytes >> 20, _directory.Path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _unusable = true;
            CacheLog.Unusable(_logger, _tempDir, e.Message);
            return false;
        }

        try
        {
            entry.File = _directory.CreateFile(entry.FileName);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            CacheLog.WriteFailed(_logger, entry.Id, e.Message);
            return false;
        }
    }

    /// <summary>
    /// Starts <paramref name="jobs"/> on the thread pool, except <paramref name="inline"/>: the job fetching the block
    /// its caller waits for runs on the caller's thread up to its first wait for I/O. A read of a local remote (a
    /// positional read of a cached file) then lands the block before the caller waits, without two thread switches
    /// on the way (a cold 64 KiB seek, docs/benchmarks.md); a slow remote's read continues in the background as before.
    /// </summary>
    private void Start(List<FillJob>? jobs, FillJob? inline = null)
    {
        if (jobs is null)
        {
            return;
        }

        foreach (var job in jobs)
        {
            CacheLog.Fetching(_logger, job.Entry.Id, job.Blocks.From, job.Blocks.To, job.IsPrefetch ? "prefetch" : "read");
            if (job != inline)
            {
                _ = Task.Run(() => RunAsync(job));
            }
        }

        if (inline is not null && jobs.Contains(inline))
        {
            _ = RunAsync(inline);
        }
    }

    /// <summary>Fetches the job's blocks front to back, landing each in the file as soon as it is checked.</summary>
    private async Task RunAsync(FillJob job)
    {
        var entry = job.Entry;
        var token = job.Cancellation.Token;
        var buffer = ArrayPool<byte>.Shared.Rent(entry.BlockSize);
        Exception? failure = null;
        var cacheFailed = false;
        var run = job.HandedRun;
        job.HandedRun = null;
        try
        {
            var file = entry.File ?? throw new ObjectDisposedException(entry.FileName);
            var from = job.Landed;
            if (run is null)
            {
                Interlocked.Increment(ref _fetches);
                run = await job.Source.OpenAsync(new BlockRange(from, job.Blocks.To), token);
            }

            for (var b = from; b < job.Blocks.To; b++)
            {
                var length = await run.ReadNextAsync(buffer, token);
                try
                {
                    RandomAccess.Write(file.SafeFileHandle, buffer.AsSpan(0, length), (long)b * entry.BlockSize);
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException or UnauthorizedAccessException)
                {
                    cacheFailed = true;
                    CacheLog.WriteFailed(_logger, entry.Id, e.Message);
                    return;
                }

                Interlocked.Add(ref _fetchedBytes, length);
                lock (_gate)
                {
                    entry.States[b] = BlockState.Present;
                    entry.Jobs[b] = null;
                }

                job.Land(b);
            }
        }
        catch (ObjectDisposedException) when (entry.Removed)
        {
            cacheFailed = true;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The reader went away (or the cache is closing); whoever still needs the blocks fetches them.
        }
        catch (Exception e)
        {
            failure = e;
            CacheLog.FetchFailed(_logger, entry.Id, e.Message);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (run is not null)
            {
                await run.DisposeAsync();
            }

            lock (_gate)
            {
                for (var b = job.Landed; b < job.Blocks.To; b++)
                {
                    if (entry.Jobs[b] == job)
                    {
                        entry.States[b] = BlockState.Absent;
                        entry.Jobs[b] = null;
                        if (!entry.Removed)
                        {
                            Release(entry, entry.BlockLength(b));
                        }
                    }
                }

                entry.Pins--;
                _jobs.Remove(job);
                DropIfUnused(entry);
            }

            job.Cancellation.Dispose();
            job.Finish(failure, cacheFailed);
            DeleteDoomed();
        }
    }
}
