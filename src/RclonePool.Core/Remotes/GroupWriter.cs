using RclonePool.Core.Errors;

namespace RclonePool.Core.Remotes;

/// <summary>
/// Group commit for small objects written into the same directory (manifests): a write goes out at once while fewer
/// than <c>maxInFlight</c> calls are in flight for that directory; writes that arrive while all of them are busy wait
/// and then go out together in one <see cref="RemoteStoreCapabilities.WriteManyAsync"/> call, shared out over the calls
/// that free up. An idle writer adds no latency; a busy one turns many small uploads into few calls; a remote far away
/// (where rclone writes the objects of one call one after another, a few round trips each) still gets several calls
/// at once. Each caller still learns whether its own object was written.
/// </summary>
/// <remarks>
/// A write may name several directories (<see cref="WriteToEachAsync"/>: the same object to each, such as a manifest to
/// every remote): the writes to one set of directories share one queue, so a batch is the same for each directory,
/// <paramref name="pack"/> makes its pack once for all of them, and a caller waits once, learning the fate of each copy.
/// A call that can go at once starts on the caller's thread (a local directory's write then completes without a hand-off);
/// the copies of a batch to several directories are written by two threads at once.
/// </remarks>
/// <remarks>
/// With <paramref name="pack"/> (manifest packing), a batch of two or more objects, or one that holds an object that
/// must be packed, goes out as the one object <paramref name="pack"/> makes of it; the caller learns that its object was
/// packed (it cannot be removed alone). <paramref name="linger"/> holds each call that long before it takes its batch, so
/// that writes finishing close together share a pack; <paramref name="lingerIn"/> (when given) tells once per
/// directory how long to linger there instead (a local directory, where a call takes a millisecond and an object costs
/// little, lingers less: every concurrent upload waits the linger). While it lingers, one call per directory gathers:
/// a second call in flight starts only once the gathering one has taken its batch, so that two calls do not split what
/// arrives between them. <paramref name="coming"/> (when given) tells how many announced writes (small uploads that
/// will write soon, <see cref="WriteAsync"/>'s <c>announced</c>) have not been handed over yet: a gathering call whose
/// queue holds an announced write stops lingering as soon as none is coming, since no other write is known to be near
/// (8 WebDAV clients PUTting small files: a pack per remote for most of the 8, without waiting out the linger).
/// </remarks>
public sealed class GroupWriter(
    IRemoteStore store, int maxBatch = 256, int maxInFlight = 8, Func<IReadOnlyList<NamedBytes>, NamedBytes>? pack = null, TimeSpan linger = default,
    Func<RemotePath, Task<TimeSpan>>? lingerIn = null, Func<int>? coming = null)
{
    private readonly Dictionary<LaneKey, Lane> _lanes = [];
    private long _objectsWritten;

    /// <summary>Objects written so far (a pack counts once per directory), over every directory.</summary>
    public long ObjectsWritten => Interlocked.Read(ref _objectsWritten);

    /// <summary>True when calls linger to gather (then one call per directory gathers at a time).</summary>
    private bool Gathers => linger > TimeSpan.Zero;

    /// <summary>
    /// Writes one object; true when it went out inside a pack. <paramref name="announced"/>: the caller announced this write
    /// ahead (it is one of <c>coming</c>'s count until it gets here), so the call that carries it lingers only while other
    /// announced writes are still coming.
    /// </summary>
    public async Task<bool> WriteAsync(RemotePath directory, string name, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken, bool mustPack = false, bool announced = false)
    {
        var outcome = await WriteToEachAsync([directory], name, bytes, cancellationToken, mustPack, announced);
        if (outcome.ErrorAt(0) is { } error)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        }

        return outcome.Packed;
    }

    /// <summary>
    /// Writes one object to each of <paramref name="directories"/> (the same bytes, under the same name or in the same
    /// pack); the outcome tells, per directory in this order, whether its copy was written. A directory's failure is in
    /// the outcome, not thrown. No directories: nothing to write.
    /// </summary>
    public Task<GroupWriteOutcome> WriteToEachAsync(IReadOnlyList<RemotePath> directories, string name, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken, bool mustPack = false, bool announced = false)
    {
        if (directories.Count == 0)
        {
            return Task.FromResult(new GroupWriteOutcome(packed: false, errors: null));
        }

        var item = new Pending(new NamedBytes(name, bytes), mustPack && pack is not null, announced);
        var key = new LaneKey(directories);
        Lane lane;
        bool start;
        TaskCompletionSource? wake;
        lock (_lanes)
        {
            if (!_lanes.TryGetValue(key, out lane!))
            {
                _lanes[key] = lane = new Lane([.. directories]);
            }

            lane.Queue.Enqueue(item);
            lane.AnnouncedWaiting += announced ? 1 : 0;
            start = lane.Flushers < maxInFlight && !(Gathers && lane.Gathering);
            if (start)
            {
                lane.Flushers++;
                lane.Gathering = Gathers;
            }

            (wake, lane.Arrival) = (lane.Arrival, null);
        }

        wake?.TrySetResult();
        if (start)
        {
            // On this thread up to its first wait (a local directory's write has none): no hand-off to another thread.
            _ = FlushAsync(lane);
        }

        return item.Done.Task.WaitAsync(cancellationToken);
    }

    private async Task FlushAsync(Lane lane)
    {
        for (var round = 0; ; round++)
        {
            if (round > 0)
            {
                // Started on a caller's thread: later batches are not that caller's to carry.
                await Task.Yield();
            }

            if (Gathers)
            {
                await GatherAsync(lane);
            }

            var batch = new List<Pending>();
            lock (_lanes)
            {
                // Gathering, the call takes what gathered; else an even share of what waits, so the calls in flight carry it together.
                var share = Gathers ? maxBatch : Math.Min(maxBatch, Math.Max(1, (lane.Queue.Count + lane.Flushers - 1) / lane.Flushers));
                while (batch.Count < share && lane.Queue.TryDequeue(out var next))
                {
                    batch.Add(next);
                    lane.AnnouncedWaiting -= next.Announced ? 1 : 0;
                }

                lane.Gathering = false;
                if (batch.Count == 0)
                {
                    lane.Flushers--;
                    return;
                }
            }

            await WriteBatchAsync(lane, batch);

            if (Gathers)
            {
                // Gather the next batch unless another call already does (or nothing waits).
                lock (_lanes)
                {
                    if (lane.Gathering || lane.Queue.Count == 0)
                    {
                        lane.Flushers--;
                        return;
                    }

                    lane.Gathering = true;
                }
            }
        }
    }

    /// <summary>Writes one batch (packed once, when it packs) to each directory of the lane, concurrently; never throws.</summary>
    private async Task WriteBatchAsync(Lane lane, List<Pending> batch)
    {
        IReadOnlyList<NamedBytes> objects;
        bool packed;
        try
        {
            packed = pack is not null && (batch.Count >= 2 || batch.Exists(p => p.MustPack));
            objects = packed ? [pack!([.. batch.Select(p => p.Object)])] : [.. batch.Select(p => p.Object)];
        }
        catch (Exception e)
        {
            batch.ForEach(p => p.Done.TrySetException(e));
            return;
        }

        // A local directory's write runs to its end on the thread that starts it: the second half of the directories is
        // started on another thread first, so that two cores create the copies (every writer of the batch waits for
        // the last copy, and creating a file costs the filesystem CPU; docs/benchmarks.md, put8).
        var directories = lane.Directories;
        var calls = new Task[directories.Length];
        var half = directories.Length / 2;
        for (var i = calls.Length - 1; i >= 0; i--)
        {
            var directory = directories[i];
            calls[i] = i >= half && half > 0 ? Task.Run(() => WriteOrFailAsync(directory, objects), CancellationToken.None) : WriteOrFailAsync(directory, objects);
        }

        Exception?[]? errors = null;
        for (var i = 0; i < calls.Length; i++)
        {
            try
            {
                await calls[i];
                Interlocked.Add(ref _objectsWritten, objects.Count);
            }
            catch (Exception e)
            {
                (errors ??= new Exception?[calls.Length])[i] = e;
            }
        }

        var outcome = new GroupWriteOutcome(packed, errors);
        batch.ForEach(p => p.Done.TrySetResult(outcome));
    }

    /// <summary>One directory's call; a synchronous throw becomes the task's failure, so that the other directories' calls still start.</summary>
    private async Task WriteOrFailAsync(RemotePath directory, IReadOnlyList<NamedBytes> objects) =>
        await store.WriteManyAsync(directory, objects, CancellationToken.None);

    /// <summary>
    /// Lingers for the writes that finish close to those waiting: up to the lane's linger, less once the batch is
    /// full, or once it holds an announced write and no other announced write is coming.
    /// </summary>
    private async Task GatherAsync(Lane lane)
    {
        var wait = await LingerAsync(lane);
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        Task? timeout = null;
        while (true)
        {
            Task arrival;
            lock (_lanes)
            {
                if (lane.Queue.Count >= maxBatch || (coming is not null && lane.AnnouncedWaiting > 0 && coming() <= 0))
                {
                    return;
                }

                arrival = (lane.Arrival ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }

            timeout ??= Task.Delay(wait, CancellationToken.None);
            if (await Task.WhenAny(arrival, timeout) == timeout)
            {
                return;
            }
        }
    }

    /// <summary>
    /// How long calls for <paramref name="lane"/> linger: asked once per directory, the longest of its directories (its
    /// writers wait for every copy anyway); a failure to tell lingers the default.
    /// </summary>
    private async Task<TimeSpan> LingerAsync(Lane lane)
    {
        if (lane.Linger is { } known)
        {
            return known;
        }

        var wait = TimeSpan.Zero;
        foreach (var directory in lane.Directories)
        {
            TimeSpan own;
            try
            {
                own = lingerIn is null ? linger : await lingerIn(directory);
            }
            catch (Exception e) when (e is PoolException or IOException or TimeoutException or OperationCanceledException)
            {
                return linger;
            }

            wait = own > wait ? own : wait;
        }

        lane.Linger = wait;
        return wait;
    }

    /// <summary>The directories of a lane, compared by value and in order.</summary>
    private readonly struct LaneKey(IReadOnlyList<RemotePath> directories) : IEquatable<LaneKey>
    {
        private readonly IReadOnlyList<RemotePath> _directories = directories;

        public bool Equals(LaneKey other)
        {
            if (_directories.Count != other._directories.Count)
            {
                return false;
            }

            for (var i = 0; i < _directories.Count; i++)
            {
                if (_directories[i] != other._directories[i])
                {
                    return false;
                }
            }

            return true;
        }

        public override bool Equals(object? obj) => obj is LaneKey other && Equals(other);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            for (var i = 0; i < _directories.Count; i++)
            {
                hash.Add(_directories[i]);
            }

            return hash.ToHashCode();
        }
    }

    private sealed class Lane(RemotePath[] directories)
    {
        public RemotePath[] Directories { get; } = directories;

        /// <summary>How long this lane's calls linger; null until asked.</summary>
        public TimeSpan? Linger { get; set; }

        public Queue<Pending> Queue { get; } = new();

        /// <summary>Calls in flight (or about to start) for this lane.</summary>
        public int Flushers { get; set; }

        /// <summary>True while one of the calls lingers to gather its batch.</summary>
        public bool Gathering { get; set; }

        /// <summary>Announced writes in <see cref="Queue"/>.</summary>
        public int AnnouncedWaiting { get; set; }

        /// <summary>Completed at the next write queued here (what a gathering call waits on); null when nobody waits.</summary>
        public TaskCompletionSource? Arrival { get; set; }
    }

    private sealed class Pending(NamedBytes item, bool mustPack, bool announced)
    {
        public NamedBytes Object { get; } = item;

        public bool MustPack { get; } = mustPack;

        public bool Announced { get; } = announced;

        public TaskCompletionSource<GroupWriteOutcome> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
