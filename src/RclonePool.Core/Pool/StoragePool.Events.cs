using Microsoft.Extensions.Logging;
using Polly;
using RclonePool.Core.Errors;
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
    /// safe; permanent ones pass at once; a remote whose circuit is open rejected at once) around
    /// <see cref="ReportingRemoteStore"/> (REMOTE_ERROR for every failed attempt, naming the pool remote) around the
    /// transport.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859", Justification = "The decorator chain is an implementation detail; callers see the contract.")]
    private static (IRemoteStore Retried, IRemoteStore Once, ReportingRemoteStore Reporting) Decorate(IRemoteStore transport, PoolEventBus events, ResiliencePipeline retry, RemoteCircuitBreaker breaker, IReadOnlyList<PoolRemote> remotes)
    {
        var names = remotes.GroupBy(r => r.Storage, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Name, StringComparer.Ordinal);
        var reporting = new ReportingRemoteStore(transport, events, storage => names.GetValueOrDefault(storage, storage));
        return (new RetryingRemoteStore(reporting, retry, breaker), new RetryingRemoteStore(reporting, ResiliencePipeline.Empty, breaker), reporting);
    }

    /// <summary>Skips a remote that failed transiently too often in a row, across operations, for a cool-down period.</summary>
    public RemoteCircuitBreaker CircuitBreaker { get; }

    private void OnCircuitOpened(string storage, PoolException failure)
    {
        var name = Remotes.FirstOrDefault(r => r.Storage == storage)?.Name ?? storage;
        _logger.LogWarning(
            "{Remote} failed {Count} times in a row ({Error}); it is skipped for {Seconds:0} s and uploads go to the other remotes.",
            name, CircuitBreaker.Threshold, failure.Message, CircuitBreaker.CoolDown.TotalSeconds);
    }

    /// <summary>
    /// The store without retries: for a probe of a remote that just failed (one answer, not a backoff). It still asks
    /// the remote's circuit: a remote skipped for its cool-down is not probed either.
    /// </summary>
    private readonly IRemoteStore _storeOnce;

    private readonly ReportingRemoteStore _reporting;

    /// <summary>Remote calls this pool has made since it was opened (every retry attempt counts); jobs report the difference.</summary>
    public long RemoteCallCount => _reporting.Calls;

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
