using RclonePool.Core.Events;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;

namespace RclonePool.Core.Pool;

/// <summary>The events of file operations, published on the pool's bus only when someone listens.</summary>
internal sealed class FileEvents(PoolEventBus events, TimeProvider time)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>A file event (upload, delete, repair ...) about <paramref name="manifest"/>.</summary>
    public void Publish(PoolEventType type, Manifest manifest, string? detail = null, string? operation = null)
    {
        if (events.HasSubscribers)
        {
            events.Publish(new PoolEvent { Type = type, Path = manifest.Path, Bytes = manifest.Size, Detail = detail, Operation = operation });
        }
    }

    /// <summary>PRE_DOWNLOAD for a read about to start.</summary>
    public void Downloading(PoolEntry entry) =>
        events.Publish(new PoolEvent { Type = PoolEventType.PreDownload, Path = entry.Path.Value, Bytes = entry.Size });

    /// <summary>POST_DOWNLOAD for a read that completed.</summary>
    public void Downloaded(PoolEntry entry, long bytes) =>
        events.Publish(new PoolEvent { Type = PoolEventType.PostDownload, Path = entry.Path.Value, Bytes = bytes, TotalBytes = entry.Size });

    /// <summary>
    /// Passes progress on to <paramref name="inner"/> and, when someone listens, publishes PROGRESS events, at most
    /// four a second (the sink is called per buffer).
    /// </summary>
    public IProgress<long>? Progress(string operation, PoolPath path, long total, IProgress<long>? inner)
    {
        if (!events.HasSubscribers)
        {
            return inner;
        }

        long last = 0;
        return new ProgressSink(done =>
        {
            inner?.Report(done);
            var now = time.GetTimestamp();
            var previous = Interlocked.Read(ref last);
            if ((previous == 0 || time.GetElapsedTime(previous, now) >= ProgressInterval || done == total) && Interlocked.CompareExchange(ref last, now, previous) == previous)
            {
                events.Publish(new PoolEvent { Type = PoolEventType.Progress, Operation = operation, Path = path.Value, Bytes = done, TotalBytes = total >= 0 ? total : null });
            }
        });
    }

    private sealed class ProgressSink(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
