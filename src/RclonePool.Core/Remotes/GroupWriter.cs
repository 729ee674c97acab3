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
    private readonly Dictionary<RemotePath, Lane> _lanes = [];
    private long _objectsWritten;

    /// <summary>Objects written so far (a pack counts once), over every directory.</summary>
    public long ObjectsWritten => Interlocked.Read(ref _objectsWritten);

    /// <summary>True when calls linger to gather (then one call per directory gathers at a time).</summary>
    private bool Gathers => linger > TimeSpan.Zero;

    /// <summary>
    /// Writes one object; true when it went out inside a pack. <paramref name="announced"/>: the caller announced this write
    /// ahead (it is one of <c>coming</c>'s count until it gets here), so the call that carries it lingers only while other
    /// announced writes are still coming.
    /// </summary>
    public Task<bool> WriteAsync(RemotePath directory, string name, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken, bool mustPack = false, bool announced = false)
    {
        var item = new Pending(new NamedBytes(name, bytes), mustPack && pack is not null, announced);
        Lane lane;
        bool start;
        TaskCompletionSource? wake;
        lock (_lanes)
        {
            if (!_lanes.TryGetValue(directory, out lane!))
            {
                _lanes[directory] = lane = new Lane(directory);
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
            _ = Task.Run(() => FlushAsync(lane), CancellationToken.None);
        }

        return item.Done.Task.WaitAsync(cancellationToken);
    }

    private async Task FlushAsync(Lane lane)
    {
        while (true)
        {
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

            try
            {
                var packed = pack is not null && (batch.Count >= 2 || batch.Exists(p => p.MustPack));
                IReadOnlyList<NamedBytes> objects = packed ? [pack!([.. batch.Select(p => p.Object)])] : [.. batch.Select(p => p.Object)];
                await store.WriteManyAsync(lane.Directory, objects, CancellationToken.None);
                Interlocked.Add(ref _objectsWritten, objects.Count);
                batch.ForEach(p => p.Done.TrySetResult(packed));
            }
            catch (Exception e)
            {
                batch.ForEach(p => p.Done.TrySetException(e));
            }

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

    /// <summary>
    /// Lingers for the writes that finish close to those waiting: up to the directory's linger, less once the batch is
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

    /// <summary>How long calls for <paramref name="lane"/> linger: asked once per directory; a failure to tell lingers the default.</summary>
    private async Task<TimeSpan> LingerAsync(Lane lane)
    {
        if (lane.Linger is { } known)
        {
            return known;
        }

        TimeSpan wait;
        try
        {
            wait = lingerIn is null ? linger : await lingerIn(lane.Directory);
        }
        catch (Exception e) when (e is PoolException or IOException or TimeoutException or OperationCanceledException)
        {
            return linger;
        }

        lane.Linger = wait;
        return wait;
    }

    private sealed class Lane(RemotePath directory)
    {
        public RemotePath Directory { get; } = directory;

        /// <summary>How long this directory's calls linger; null until asked.</summary>
        public TimeSpan? Linger { get; set; }

        public Queue<Pending> Queue { get; } = new();

        /// <summary>Calls in flight (or about to start) for this directory.</summary>
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

        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
