using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using RclonePool.Core.Caching;
using RclonePool.Core.Config;
using RclonePool.Core.Events;
using RclonePool.Core.Index;
using RclonePool.Core.Index.Postgres;
using RclonePool.Core.Placement;
using RclonePool.Core.Plugins;
using RclonePool.Core.Pool.Reading;
using RclonePool.Core.Quotas;
using RclonePool.Core.Redundancy;
using RclonePool.Core.Remotes;
using RclonePool.Core.Remotes.Throttling;
using RclonePool.Core.Resilience;

namespace RclonePool.Core.Pool;

/// <summary>
/// Assembles a pool from its parts, in one visible order (<see cref="OpenAsync"/>): the transport, the decorators around
/// it, the pool's identity from the remotes, the index, the balancer, the chunk cache, the event bus. Every part has a
/// default from the config; a host or a test replaces a part with a <c>Use…</c> call. The CLI, the server, the tests and
/// the benches all open pools here.
/// </summary>
public sealed class PoolBuilder(PoolConfig config)
{
    /// <summary>Opens the index file at a path; the default is <see cref="SqlitePoolIndex"/>.</summary>
    public delegate ValueTask<IPoolIndex> IndexOpener(string path, CancellationToken cancellationToken);

    private IRemoteStore? _transport;
    private IndexOpener? _openIndex;
    private IBalancer? _balancer;
    private IChunkCache? _chunkCache;
    private ResiliencePipeline? _retry;
    private RedundancyPolicy? _redundancy;
    private ReadPolicy? _readPolicy;
    private TimeProvider _time = TimeProvider.System;
    private ILoggerFactory _loggerFactory = NullLoggerFactory.Instance;
    private QuotaLimits? _quota;
    private bool _freeSpaceAhead;
    private bool _servesClients;

    public PoolConfig Config { get; } = config ?? throw new ArgumentNullException(nameof(config));

    /// <summary>
    /// Talks to the remotes through <paramref name="transport"/>, used as it is and owned by the caller (tests pass an
    /// in-memory or faulty store). Default: the transport the config asks for (<see cref="RemoteStoreFactory.Create(PoolConfig, ILoggerFactory?)"/>:
    /// rclone rcd or the rclone command, with direct access to local directories), created on open and stopped when the
    /// pool is disposed.
    /// </summary>
    public PoolBuilder UseTransport(IRemoteStore transport)
    {
        _transport = transport ?? throw new ArgumentNullException(nameof(transport));
        return this;
    }

    /// <summary>Opens the index with <paramref name="openIndex"/> (any <see cref="IPoolIndex"/>); default: SQLite under <c>manifest_cache_dir</c>, or PostgreSQL when <c>index_backend</c> says so.</summary>
    public PoolBuilder UseIndex(IndexOpener openIndex)
    {
        _openIndex = openIndex ?? throw new ArgumentNullException(nameof(openIndex));
        return this;
    }

    /// <summary>Places new objects with <paramref name="balancer"/>; default: the <c>balancing_strategy</c> of the config.</summary>
    public PoolBuilder UseBalancer(IBalancer balancer)
    {
        _balancer = balancer ?? throw new ArgumentNullException(nameof(balancer));
        return this;
    }

    /// <summary>Reads through <paramref name="chunkCache"/> (the pool owns and disposes it); default: the one the config asks for.</summary>
    public PoolBuilder UseChunkCache(IChunkCache chunkCache)
    {
        _chunkCache = chunkCache ?? throw new ArgumentNullException(nameof(chunkCache));
        return this;
    }

    /// <summary>Retries transient failures with <paramref name="retry"/>; default: from <c>enable_retry</c>, <c>max_retries</c>, <c>retry_delay</c>.</summary>
    public PoolBuilder UseRetry(ResiliencePipeline retry)
    {
        _retry = retry ?? throw new ArgumentNullException(nameof(retry));
        return this;
    }

    /// <summary>Stores new files as <paramref name="redundancy"/> says; default: from <c>redundancy_mode</c> and its keys.</summary>
    public PoolBuilder UseRedundancy(RedundancyPolicy redundancy)
    {
        _redundancy = redundancy ?? throw new ArgumentNullException(nameof(redundancy));
        return this;
    }

    /// <summary>Reads as <paramref name="readPolicy"/> says (fetch sizes, prefetch); default: from the config.</summary>
    public PoolBuilder UseReadPolicy(ReadPolicy readPolicy)
    {
        _readPolicy = readPolicy ?? throw new ArgumentNullException(nameof(readPolicy));
        return this;
    }

    public PoolBuilder UseTimeProvider(TimeProvider time)
    {
        _time = time ?? throw new ArgumentNullException(nameof(time));
        return this;
    }

    public PoolBuilder UseLoggerFactory(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory ?? throw new ArgumentNullException(nameof(loggerFactory));
        return this;
    }

    /// <summary>
    /// Asks every remote for its free space while the pool descriptors are read, for a command that is about to
    /// write: on a cloud account that saves a round trip before the first byte goes out. Read-only commands do not ask.
    /// </summary>
    public PoolBuilder MeasureFreeSpaceAhead()
    {
        _freeSpaceAhead = true;
        return this;
    }

    /// <summary>
    /// The pool serves clients that each wait for their own write (<c>serve</c>): manifests written to a local directory
    /// go out after a short wait for others (<see cref="ManifestPacking.ServingLocalLinger"/>), not the longer one that
    /// gathers a directory upload's into bigger packs.
    /// </summary>
    public PoolBuilder ServeClients()
    {
        _servesClients = true;
        return this;
    }

    /// <summary>Holds the pool to <paramref name="quota"/> (a user's <c>quota_bytes</c> and <c>quota_files</c>); default: no quota.</summary>
    public PoolBuilder UseQuota(QuotaLimits quota)
    {
        _quota = quota ?? throw new ArgumentNullException(nameof(quota));
        return this;
    }

    /// <summary>
    /// Opens the pool: reads the pool descriptors (refusing remotes of other pools), opens the index under
    /// <c>manifest_cache_dir</c> and loads it from the remotes when it is new, reset or was corrupt.
    /// </summary>
    public async Task<StoragePool> OpenAsync(CancellationToken cancellationToken)
    {
        var ownedTransport = _transport is null ? RemoteStoreFactory.Create(Config, _loggerFactory) : null;
        var transport = _transport ?? ownedTransport!;
        IPoolIndex? index = null;
        StoragePool? pool = null;
        RemoteAccess? access = null;
        var plugins = PoolPlugins.Load(Config, _loggerFactory.CreateLogger("rclonepool.plugins"));
        try
        {
            var remotes = new PoolRemoteSet(PoolRemote.FromConfig(Config));
            var layout = new PoolLayout(Config.DataPrefix, Config.ManifestPrefix);
            access = BuildAccess(plugins.WrapTransport(transport), remotes);
            plugins.Attach(access.Events);

            // Through the watched, retrying store: a remote that is down costs seconds here too, not rclone's timeouts.
            var freeSpace = _freeSpaceAhead ? PoolCapacity.MeasureAheadAsync(access.Store, remotes, _loggerFactory.CreateLogger("rclonepool"), cancellationToken) : null;
            var identity = await new PoolDescriptors(access.Store, layout).ReadPoolIdAsync(remotes, cancellationToken);
            index = _openIndex is null && Config.IndexBackend == "postgresql"
                ? await PostgresPoolIndex.OpenAsync(Config.IndexConnectionString, identity.PoolId, _loggerFactory.CreateLogger("rclonepool.index"), cancellationToken)
                : await (_openIndex ?? OpenSqliteIndexAsync)(IndexPath(Config, identity.PoolId), cancellationToken);
            if (_openIndex is null && index is SqlitePoolIndex)
            {
                IndexLocator.Remember(Config, identity.PoolId); // for commands that read the index alone (ls)
            }

            var context = Assemble(access, remotes, layout, identity, index, plugins, freeSpace);
            if (index is ISharedPathLocks shared)
            {
                context.Locks.Share(shared);
            }

            context.Unclaimed.Found(identity.WithoutDescriptor);
            pool = new StoragePool(context, ownedTransport, plugins);
            if (!await index.IsPopulatedAsync(cancellationToken))
            {
                await new IndexLoader(context).LoadAsync(cancellationToken);
            }

            return pool;
        }
        catch
        {
            // The pool, once built, owns the index, the chunk cache and the transport it created: it closes them all.
            if (pool is not null)
            {
                await pool.DisposeAsync();
            }
            else
            {
                await plugins.DisposeAsync();
                if (access is not null)
                {
                    await access.Watchdog.DisposeAsync();
                }

                if (index is not null)
                {
                    await index.DisposeAsync();
                }

                if (ownedTransport is not null)
                {
                    await ownedTransport.DisposeAsync();
                }
            }

            throw;
        }
    }

    /// <summary>The index file of a pool: one per pool id under <c>manifest_cache_dir</c> (a private temporary one when the cache is off).</summary>
    public static string IndexPath(PoolConfig config, string poolId)
    {
        ArgumentNullException.ThrowIfNull(config);
        var directory = config.EnableManifestCache
            ? ConfigLoader.ExpandHome(config.ManifestCacheDir)
            : Path.Combine(Path.GetTempPath(), $"rclonepool-index-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, $"{poolId}.sqlite");
    }

    private async ValueTask<IPoolIndex> OpenSqliteIndexAsync(string path, CancellationToken cancellationToken) =>
        await SqlitePoolIndex.OpenAsync(path, logger: _loggerFactory.CreateLogger("rclonepool.index"), cancellationToken: cancellationToken);

    /// <summary>The parts, in order. The store as the pool uses it is, from the outside in:
    /// <see cref="RetryingRemoteStore"/> (transient failures retried where a repeat is safe; a remote whose circuit is open
    /// rejected at once) → <see cref="ReportingRemoteStore"/> (REMOTE_ERROR for every failed attempt, naming the pool
    /// remote; counts calls) → <see cref="ThrottledRemoteStore"/> (the bandwidth limits, shared by the whole process; only
    /// when a limit is set) → the transport. Plugins slot in between reporting and the transport.</summary>
    private RemoteAccess BuildAccess(IRemoteStore transport, IReadOnlyList<PoolRemote> remotes)
    {
        var logger = _loggerFactory.CreateLogger("rclonepool");
        var events = new PoolEventBus(logger, _time);
        var breaker = RetryPipelines.CreateCircuitBreaker(Config, _time);
        // The pool remote's name for a storage remote, in log lines and events; remotes that join later are found too.
        string NameOf(string storage) => remotes.FirstOrDefault(r => r.Storage == storage)?.Name ?? storage;
        breaker.Opened += (storage, failure, foundDown) => RemoteLog.Skipped(
            logger, NameOf(storage), foundDown ? "does not answer" : $"failed {breaker.Threshold} times in a row",
            failure.Message.TrimEnd('.'), breaker.CoolDown.TotalSeconds);
        var retry = _retry ?? RetryPipelines.Create(Config, _time);

        var upload = ProcessBandwidth.Upload(Config.BandwidthLimitUploadMbps);
        var download = ProcessBandwidth.Download(Config.BandwidthLimitDownloadMbps);
        var throttled = upload is null && download is null ? transport : new ThrottledRemoteStore(transport, upload, download);
        var reporting = new ReportingRemoteStore(throttled, events, NameOf);

        // The watchdog probes the transport itself: a read waiting for bandwidth tokens is not a silent remote.
        var watchdog = new RemoteWatchdog(transport, breaker, TimeSpan.FromSeconds(Config.RemoteAnswerTimeout), _time, logger);
        return new RemoteAccess(
            logger, events, breaker, watchdog, retry, reporting,
            new RetryingRemoteStore(reporting, retry, breaker, watchdog),
            new RetryingRemoteStore(reporting, ResiliencePipeline.Empty, breaker, watchdog));
    }

    /// <summary>The store as the pool uses it, and the parts that watch its remotes, built before the descriptors are read.</summary>
    private sealed record RemoteAccess(
        ILogger Logger, PoolEventBus Events, RemoteCircuitBreaker Breaker, RemoteWatchdog Watchdog, ResiliencePipeline Retry,
        ReportingRemoteStore Reporting, RetryingRemoteStore Store, RetryingRemoteStore StoreOnce);

    private PoolContext Assemble(RemoteAccess access, PoolRemoteSet remotes, PoolLayout layout, PoolIdentity identity, IPoolIndex index, PoolPlugins plugins, Task<RemoteUsage?[]?>? freeSpace)
    {
        var poolId = identity.PoolId;
        var (logger, events, breaker, watchdog, retry, reporting, store, storeOnce) = access;
        var unclaimed = new UnclaimedRemotes(logger);
        return new PoolContext
        {
            Config = Config,
            PoolId = poolId,
            Remotes = remotes,
            Layout = layout,
            Store = store,
            StoreOnce = storeOnce,
            Reporting = reporting,
            CircuitBreaker = breaker,
            Watchdog = watchdog,
            Retry = retry,
            Index = index,
            Manifests = new ManifestStore(store, layout, remotes, logger, new ManifestPacking(Config.ManifestPacking, poolId, identity.FormatVersion, _time)
            {
                LocalLinger = _servesClients ? ManifestPacking.ServingLocalLinger : ManifestPacking.DefaultLinger,
            }),
            ChunkCache = _chunkCache ?? ChunkCache.FromConfig(Config, logger),
            Chunker = plugins.UseChunker(Chunking.ChunkingPolicy.For(Config)),
            Capacity = new PoolCapacity(remotes, Config, store, index, plugins.WrapBalancer(_balancer ?? BalancingStrategies.Create(Config.BalancingStrategy)), breaker, unclaimed, _time, logger, freeSpace),
            Events = events,
            FileEvents = new FileEvents(events, _time),
            Unclaimed = unclaimed,
            Redundancy = _redundancy ?? RedundancyPolicy.FromConfig(Config),
            ReadPolicy = _readPolicy ?? ReadPolicy.FromConfig(Config),
            Codecs = plugins.Codecs,
            Time = _time,
            Logger = logger,
            Concurrency = new TransferConcurrency(store, remotes, _time),
            Quota = _quota is { Limited: true } quota ? new QuotaLedger(quota, async ct =>
            {
                var totals = await index.TotalsAsync(ct);
                return (totals.Bytes, totals.Files);
            }) : null,
        };
    }
}
