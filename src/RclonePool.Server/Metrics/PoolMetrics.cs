using System.Text.Json;
using Microsoft.Extensions.Logging;
using Prometheus;
using RclonePool.Core.Events;
using RclonePool.Core.Pool;

namespace RclonePool.Server.Metrics;

/// <summary>
/// The Prometheus series of one server (docs/metrics.md), in a registry of its own (several servers share a process in
/// tests). Counters of the hot paths are the pool's own (<see cref="PoolTraffic"/>, the chunk cache's statistics), copied
/// at scrape time; remote errors are counted from the event bus as they happen; free space and index size are refreshed
/// on scrape at most every few seconds (<see cref="Refresher"/>), never holding a scrape on a dead remote.
/// </summary>
internal sealed class PoolMetrics : IDisposable
{
    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();
    private readonly StoragePool? _pool;
    private readonly IJobCounts? _jobs;
    private readonly MetricsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PoolEventBus.Subscription? _errors;
    private readonly Refresher _remotes;
    private readonly Refresher _index;

    private readonly Counter _uploadBytes;
    private readonly Counter _downloadBytes;
    private readonly Counter _operations;
    private readonly Counter _remoteErrors;
    private readonly Gauge _remoteUsed;
    private readonly Gauge _remoteFree;
    private readonly Gauge _remoteObjects;
    private readonly Gauge _circuit;
    private readonly Counter _cacheHits;
    private readonly Counter _cacheMisses;
    private readonly Gauge _cacheBytes;
    private readonly Gauge _indexFiles;
    private readonly Gauge _indexDirectories;
    private readonly Gauge _indexBytes;
    private readonly Gauge _jobsGauge;
    private readonly Histogram _requests;

    public PoolMetrics(IPoolFileSystem? pool, IJobCounts? jobs, MetricsOptions options, TimeProvider time, ILogger logger)
    {
        _pool = pool as StoragePool;
        _jobs = jobs;
        _options = options;
        _time = time;
        _logger = logger;
        var f = Prometheus.Metrics.WithCustomRegistry(_registry);
        _uploadBytes = f.CreateCounter("rclonepool_upload_bytes_total", "File bytes stored into the pool (uploads and copies; a duplicate stores none).");
        _downloadBytes = f.CreateCounter("rclonepool_download_bytes_total", "File bytes served from the pool (downloads and ranged reads), every one verified.");
        _operations = f.CreateCounter("rclonepool_operations_total", "Pool operations started, by operation (upload, download, read, delete, move, copy, mkdir, set_properties).", "operation");
        _remoteErrors = f.CreateCounter("rclonepool_remote_errors_total", "Failed remote calls (every attempt, retried or not), by remote and error kind.", "remote", "kind");
        _remoteUsed = f.CreateGauge("rclonepool_remote_used_bytes", "Bytes of the pool's chunks stored on the remote (from the index).", "remote");
        _remoteFree = f.CreateGauge("rclonepool_remote_free_bytes", "Free space of the remote as rclone about reports it (absent when the remote cannot tell).", "remote");
        _remoteObjects = f.CreateGauge("rclonepool_remote_objects", "Chunk objects the pool's manifests place on the remote (copies and parity shards included).", "remote");
        _circuit = f.CreateGauge("rclonepool_remote_circuit_state", "Circuit breaker of the remote: 0 closed (calls go through), 1 open (skipped for its cool-down).", "remote");
        _cacheHits = f.CreateCounter("rclonepool_chunk_cache_hits_total", "Blocks served from the chunk cache without waiting for a fetch.");
        _cacheMisses = f.CreateCounter("rclonepool_chunk_cache_misses_total", "Blocks a reader had to fetch or wait for.");
        _cacheBytes = f.CreateGauge("rclonepool_chunk_cache_bytes", "Bytes of blocks held in the chunk cache (or being fetched into it).");
        _indexFiles = f.CreateGauge("rclonepool_index_files", "Files in the pool's index.");
        _indexDirectories = f.CreateGauge("rclonepool_index_directories", "Directories in the pool's index (explicit and implied).");
        _indexBytes = f.CreateGauge("rclonepool_index_bytes", "Total size of the files in the pool's index.");
        _jobsGauge = f.CreateGauge("rclonepool_jobs", "Jobs (verify, repair, rebalance …) by kind and state.", "kind", "state");
        _requests = f.CreateHistogram("rclonepool_http_request_duration_seconds", "Time to answer an HTTP request, by route, method and status (WebDAV requests have route \"webdav\").",
            new HistogramConfiguration
            {
                LabelNames = ["route", "method", "status"],
                Buckets = Histogram.ExponentialBuckets(0.0005, 2, 18), // 0.5 ms … 65 s
            });

        _remotes = new Refresher(RefreshRemotesAsync, options.RemoteRefreshInterval, time);
        _index = new Refresher(RefreshIndexAsync, options.IndexRefreshInterval, time);
        if (_pool is not null)
        {
            foreach (var remote in _pool.Remotes)
            {
                _circuit.WithLabels(remote.Name).Set(0);
            }

            foreach (var operation in PoolTraffic.Operations)
            {
                _operations.WithLabels(operation.Name()).IncTo(0);
            }

            _errors = _pool.Events.Subscribe(OnRemoteError, PoolEventType.RemoteError);
        }

        _registry.AddBeforeCollectCallback(BeforeScrapeAsync);
    }

    /// <summary>The registry of these series (a multi-user server adds its per-user series to it).</summary>
    internal CollectorRegistry Registry => _registry;

    /// <summary>Records the time an HTTP request took.</summary>
    public void ObserveRequest(string route, string method, int status, double seconds) =>
        _requests.WithLabels(route, method, status.ToString(System.Globalization.CultureInfo.InvariantCulture)).Observe(seconds);

    /// <summary>Writes every series in the Prometheus text format (version 0.0.4).</summary>
    public Task WriteAsync(Stream destination, CancellationToken cancellationToken) =>
        _registry.CollectAndExportAsTextAsync(destination, cancellationToken);

    public void Dispose() => _errors?.Dispose();

    private void OnRemoteError(PoolEvent e) =>
        _remoteErrors.WithLabels(e.Remote ?? "unknown", e.ErrorKind is { } kind ? JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString()) : "unknown").Inc();

    private async Task BeforeScrapeAsync(CancellationToken cancellationToken)
    {
        if (_pool is null)
        {
            return;
        }

        var traffic = _pool.Traffic;
        _uploadBytes.IncTo(traffic.UploadedBytes);
        _downloadBytes.IncTo(traffic.DownloadedBytes);
        foreach (var operation in PoolTraffic.Operations)
        {
            _operations.WithLabels(operation.Name()).IncTo(traffic.Count(operation));
        }

        var cache = _pool.ChunkCache.Statistics;
        _cacheHits.IncTo(cache.Hits);
        _cacheMisses.IncTo(cache.Misses);
        _cacheBytes.Set(cache.CachedBytes);
        foreach (var remote in _pool.Remotes)
        {
            _circuit.WithLabels(remote.Name).Set(_pool.CircuitBreaker.IsOpen(remote.Storage) ? 1 : 0);
        }

        if (_jobs is not null)
        {
            foreach (var row in _jobs.CountJobs())
            {
                _jobsGauge.WithLabels(row.Kind, row.State).Set(row.Count);
            }
        }

        await Task.WhenAll(
            _remotes.RefreshAsync(_options.ScrapeWait, cancellationToken),
            _index.RefreshAsync(_options.ScrapeWait, cancellationToken));
    }

    private async Task RefreshRemotesAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var load in await _pool!.MeasureAsync(cancellationToken))
            {
                _remoteUsed.WithLabels(load.Remote).Set(load.Stored);
                if (load.Free is { } free)
                {
                    _remoteFree.WithLabels(load.Remote).Set(free);
                }
            }
        }
        catch (Exception e)
        {
            MetricsLog.RefreshFailed(_logger, "remote", e.Message);
        }
    }

    private async Task RefreshIndexAsync(CancellationToken cancellationToken)
    {
        try
        {
            var totals = await _pool!.TotalsAsync(cancellationToken);
            _indexFiles.Set(totals.Files);
            _indexDirectories.Set(totals.Directories);
            _indexBytes.Set(totals.Bytes);
            foreach (var remote in _pool.Remotes.Where(r => !totals.Remotes.ContainsKey(r.Name)))
            {
                _remoteObjects.WithLabels(remote.Name).Set(0);
            }

            foreach (var (remote, counted) in totals.Remotes)
            {
                _remoteObjects.WithLabels(remote).Set(counted.Objects);
            }
        }
        catch (Exception e)
        {
            MetricsLog.RefreshFailed(_logger, "index", e.Message);
        }
    }
}
