namespace RclonePool.Core.Index.Sqlite;

/// <summary>
/// Group commit for the index's write transactions: a write that arrives while none runs is committed at once (after
/// one yield to the thread pool, so that writes already about to arrive join it); writes that arrive meanwhile wait and are then committed together in one transaction. An
/// idle index adds no latency; a busy one (many small PUTs) pays the transaction and its page writes once per batch.
/// <list type="bullet">
/// <item>A caller returns only after the transaction holding its write committed, or with its own failure.</item>
/// <item>A write that throws (or a SQLite error raised by a write's statements) fails only its caller: the batch is
/// rolled back and its writes are committed one by one, each learning its own outcome. Failures of the transaction
/// itself (begin, commit, damage) are every member's.</item>
/// <item>A write cancelled before its batch starts is skipped; once started it completes.</item>
/// </list>
/// </summary>
internal sealed class IndexWriteQueue(Func<IReadOnlyList<Action<IndexWriter>>, (Exception Error, bool InWrite)?> runTransaction, int maxBatch = 256)
{
    private readonly Queue<Pending> _queue = new();
    private bool _flushing;

    public async ValueTask RunAsync(Action<IndexWriter> write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new Pending(write);
        bool flush;
        lock (_queue)
        {
            _queue.Enqueue(pending);
            flush = !_flushing;
            _flushing = true;
        }

        if (flush)
        {
            // This caller commits the first batch (its own write is in it); later batches go to the thread pool so
            // that no caller waits on writes that arrive after its own. It yields first: the uploads whose manifests
            // one pack carried become ready together, and those already queued to run join this transaction instead of
            // the next (every commit writes each page it changed to the WAL: about 6 pages per small PUT when most
            // of them committed alone).
            await Task.Yield();
            if (FlushOnce())
            {
                _ = Task.Run(FlushAll, CancellationToken.None);
            }
        }

        if (!pending.Done.Task.IsCompleted && cancellationToken.CanBeCanceled)
        {
            await using var registration = cancellationToken.Register(() =>
            {
                if (pending.TryCancel())
                {
                    pending.Done.TrySetCanceled(cancellationToken);
                }
            });
            await pending.Done.Task;
            return;
        }

        await pending.Done.Task;
    }

    private void FlushAll()
    {
        while (FlushOnce())
        {
        }
    }

    /// <summary>Commits one batch; true when more writes wait (the caller keeps the flushing role), false when it was given up.</summary>
    private bool FlushOnce()
    {
        var batch = new List<Pending>();
        lock (_queue)
        {
            while (batch.Count < maxBatch && _queue.TryDequeue(out var next))
            {
                if (next.TryTake())
                {
                    batch.Add(next);
                }
            }

            if (batch.Count == 0)
            {
                _flushing = false;
                return false;
            }
        }

        Commit(batch);
        lock (_queue)
        {
            if (_queue.Count == 0)
            {
                _flushing = false;
                return false;
            }

            return true;
        }
    }

    private void Commit(List<Pending> batch)
    {
        (Exception Error, bool InWrite)? failure;
        try
        {
            failure = runTransaction([.. batch.Select(p => p.Write)]);
        }
        catch (Exception e)
        {
            failure = (e, false);
        }

        if (failure is null)
        {
            batch.ForEach(p => p.Done.TrySetResult());
        }
        else if (failure.Value.InWrite && batch.Count > 1)
        {
            batch.ForEach(p => Commit([p]));
        }
        else
        {
            batch.ForEach(p => p.Done.TrySetException(failure.Value.Error));
        }
    }

    private sealed class Pending(Action<IndexWriter> write)
    {
        private const int Queued = 0, Taken = 1, Cancelled = 2;
        private int _state = Queued;

        public Action<IndexWriter> Write { get; } = write;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued;

        public bool TryCancel() => Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued;
    }
}
