using Polly;
using RclonePool.Core.Events;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Remotes;
using RclonePool.Core.Resilience;

namespace RclonePool.Core.Pool;

public sealed partial class StoragePool
{
    /// <summary>
    /// The store as the pool uses it: <see cref="RetryingRemoteStore"/> (transient failures retried where a repeat is
    /// safe; permanent ones pass at once) around <see cref="ReportingRemoteStore"/> (REMOTE_ERROR for every failed
    /// attempt, naming the pool remote) around the transport.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859", Justification = "The decorator chain is an implementation detail; callers see the contract.")]
    private static (IRemoteStore Retried, ReportingRemoteStore Once) Decorate(IRemoteStore transport, PoolEventBus events, ResiliencePipeline retry, IReadOnlyList<PoolRemote> remotes)
    {
        var names = remotes.GroupBy(r => r.Storage, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Name, StringComparer.Ordinal);
        var reporting = new ReportingRemoteStore(transport, events, storage => names.GetValueOrDefault(storage, storage));
        return (new RetryingRemoteStore(reporting, retry), reporting);
    }

    /// <summary>The store without retries: for a probe of a remote that just failed (one answer, not a backoff).</summary>
    private readonly ReportingRemoteStore _storeOnce;

    /// <summary>Remote calls this pool has made since it was opened (every retry attempt counts); jobs report the difference.</summary>
    public long RemoteCallCount => _storeOnce.Calls;

    /// <summary>Publishes a file event when someone listens.</summary>
    private void Publish(PoolEventType type, Manifest manifest, string? detail = null, string? operation = null)
    {
        if (Events.HasSubscribers)
        {
            Events.Publish(new PoolEvent { Type = type, Path = manifest.Path, Bytes = manifest.Size, Detail = detail, Operation = operation });
        }
    }

    /// <summary>
    /// Passes progress on to <paramref name="inner"/> and, when someone listens, publishes PROGRESS events, at most
    /// four a second (the sink is called per buffer).
    /// </summary>
    private IProgress<long>? ProgressEvents(string operation, PoolPath path, long total, IProgress<long>? inner)
    {
        if (!Events.HasSubscribers)
        {
            return inner;
        }

        long last = 0;
        return new ProgressSink(done =>
        {
            inner?.Report(done);
            var now = _time.GetTimestamp();
            var previous = Interlocked.Read(ref last);
            if ((previous == 0 || _time.GetElapsedTime(previous, now) >= TimeSpan.FromMilliseconds(250) || done == total) && Interlocked.CompareExchange(ref last, now, previous) == previous)
            {
                Events.Publish(new PoolEvent { Type = PoolEventType.Progress, Operation = operation, Path = path.Value, Bytes = done, TotalBytes = total >= 0 ? total : null });
            }
        });
    }

    private sealed class ProgressSink(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }

    /// <summary>
    /// PRE_DOWNLOAD for a read about to start. Reads live in StoragePool.Read.cs; a front end that reads a whole file
    /// brackets it with this and <see cref="OnDownloaded"/>.
    /// </summary>
    public void OnDownloading(PoolEntry entry) =>
        Events.Publish(new PoolEvent { Type = PoolEventType.PreDownload, Path = entry.Path.Value, Bytes = entry.Size });

    /// <summary>POST_DOWNLOAD for a read that completed.</summary>
    public void OnDownloaded(PoolEntry entry, long bytes) =>
        Events.Publish(new PoolEvent { Type = PoolEventType.PostDownload, Path = entry.Path.Value, Bytes = bytes, TotalBytes = entry.Size });
}
