namespace RclonePool.Core.Remotes;

/// <summary>
/// Group commit for small objects written into the same directory (manifests): the first write goes out at once;
/// writes that arrive while it is in flight wait for it and then go out together in one
/// <see cref="RemoteStoreCapabilities.WriteManyAsync"/> call. An idle writer adds no latency; a busy one turns many small
/// uploads into few calls. Each caller still learns whether its own object was written.
/// </summary>
public sealed class GroupWriter(IRemoteStore store, int maxBatch = 256)
{
    private readonly Dictionary<RemotePath, Lane> _lanes = [];

    public Task WriteAsync(RemotePath directory, string name, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var item = new Pending(new NamedBytes(name, bytes));
        Lane lane;
        bool start;
        lock (_lanes)
        {
            if (!_lanes.TryGetValue(directory, out lane!))
            {
                _lanes[directory] = lane = new Lane(directory);
            }

            lane.Queue.Enqueue(item);
            start = !lane.Flushing;
            lane.Flushing = true;
        }

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
            var batch = new List<Pending>();
            lock (_lanes)
            {
                while (batch.Count < maxBatch && lane.Queue.TryDequeue(out var next))
                {
                    batch.Add(next);
                }

                if (batch.Count == 0)
                {
                    lane.Flushing = false;
                    return;
                }
            }

            try
            {
                await store.WriteManyAsync(lane.Directory, [.. batch.Select(p => p.Object)], CancellationToken.None);
                batch.ForEach(p => p.Done.TrySetResult());
            }
            catch (Exception e)
            {
                batch.ForEach(p => p.Done.TrySetException(e));
            }
        }
    }

    private sealed class Lane(RemotePath directory)
    {
        public RemotePath Directory { get; } = directory;

        public Queue<Pending> Queue { get; } = new();

        public bool Flushing { get; set; }
    }

    private sealed class Pending(NamedBytes item)
    {
        public NamedBytes Object { get; } = item;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
