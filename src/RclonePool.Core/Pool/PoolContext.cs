using Microsoft.Extensions.Logging;
using Polly;
using RclonePool.Core.Caching;
using RclonePool.Core.Chunking;
using RclonePool.Core.Config;
using RclonePool.Core.Errors;
using RclonePool.Core.Events;
using RclonePool.Core.Index;
using RclonePool.Core.Manifests;
using RclonePool.Core.Plugins;
using RclonePool.Core.Pool.Reading;
using RclonePool.Core.Pool.Scanning;
using RclonePool.Core.Quotas;
using RclonePool.Core.Redundancy;
using RclonePool.Core.Remotes;
using RclonePool.Core.Resilience;

namespace RclonePool.Core.Pool;

/// <summary>
/// The state every part of one open pool shares: its identity and config, the store as the pool uses it (with its
/// decorators), the index, the events, and the policies. Built once by <see cref="PoolBuilder"/>; the façade
/// (<see cref="StoragePool"/>), the write engine (<c>Pool/Writing</c>) and the jobs (<c>Jobs/</c>) are classes over it.
/// </summary>
internal sealed class PoolContext
{
    public required PoolConfig Config { get; init; }

    public required string PoolId { get; init; }

    /// <summary>The pool's remotes in config order; remotes that join while the pool is open are added at the end.</summary>
    public required PoolRemoteSet Remotes { get; init; }

    public required PoolLayout Layout { get; init; }

    /// <summary>The store with retries: every call the pool makes goes through it.</summary>
    public required IRemoteStore Store { get; init; }

    /// <summary>
    /// The store without retries: for a probe of a remote that just failed (one answer, not a backoff). It still asks
    /// the remote's circuit: a remote skipped for its cool-down is not probed either.
    /// </summary>
    public required IRemoteStore StoreOnce { get; init; }

    /// <summary>Counts every remote call (each retry attempt too).</summary>
    public required ReportingRemoteStore Reporting { get; init; }

    public required RemoteCircuitBreaker CircuitBreaker { get; init; }

    /// <summary>Tells a remote that is down from one that is slow, and trips its circuit (see <see cref="RemoteWatchdog"/>).</summary>
    public required RemoteWatchdog Watchdog { get; init; }

    public required ResiliencePipeline Retry { get; init; }

    public required IPoolIndex Index { get; init; }

    public required ManifestStore Manifests { get; init; }

    public required IChunkCache ChunkCache { get; init; }

    public required PoolCapacity Capacity { get; init; }

    public required PoolEventBus Events { get; init; }

    public required FileEvents FileEvents { get; init; }

    /// <summary>File bytes stored and served, and the façade's operations (metrics, live statistics).</summary>
    public PoolTraffic Traffic { get; } = new();

    public required UnclaimedRemotes Unclaimed { get; init; }

    public required RedundancyPolicy Redundancy { get; init; }

    /// <summary>How new uploads are cut into chunks (<c>chunking</c>), from the config.</summary>
    public ChunkingPolicy Chunking => field ??= ChunkingPolicy.For(Config);

    /// <summary>The chunker plugin that picks each file's chunk size (fixed chunking only); null when none is enabled.</summary>
    public PluginChunker? Chunker { get; init; }

    /// <summary>How a new file of <paramref name="fileSize"/> bytes (-1: unknown) is cut: as the chunker plugin says, else <see cref="Chunking"/>.</summary>
    public ChunkingPolicy ChunkingFor(long fileSize) => Chunker?.For(fileSize) ?? Chunking;

    public required ReadPolicy ReadPolicy { get; init; }

    /// <summary>How chunks are encoded into their stored form and back: built-in zstd and the codec plugins (<see cref="Plugins.BlockCodecs"/>).</summary>
    public required Plugins.BlockCodecs Codecs { get; init; }

    public required TimeProvider Time { get; init; }

    public required ILogger Logger { get; init; }

    /// <summary>The quota uploads and copies are checked against before they store a byte; null when the pool has none.</summary>
    public QuotaLedger? Quota { get; init; }

    /// <summary>In-process locks of the paths being changed, shared by the façade's mutations and the jobs that rewrite files.</summary>
    public PathLocks Locks { get; } = new();

    /// <summary>Remote calls made since the pool was opened (every retry attempt counts); jobs report the difference.</summary>
    public long RemoteCallCount => Reporting.Calls;

    /// <summary>Parallel remote calls for metadata work (deletes, stats, manifest rewrites).</summary>
    public const int MetadataParallelism = 8;

    /// <summary>Works out "auto" for <c>max_parallel_workers</c> from the remotes.</summary>
    public required TransferConcurrency Concurrency { get; init; }

    /// <summary>
    /// Chunk transfers one operation keeps in flight: <paramref name="requested"/> (a command's option), else
    /// <c>max_parallel_workers</c>, else what <see cref="TransferConcurrency"/> works out for the remotes.
    /// </summary>
    public async ValueTask<int> WorkersAsync(int? requested, CancellationToken cancellationToken) =>
        Math.Max(1, requested ?? Config.MaxParallelWorkers ?? await Concurrency.AutoAsync(cancellationToken));

    /// <summary>
    /// <see cref="WorkersAsync(int?, CancellationToken)"/> for <paramref name="items"/> pieces of work: no more workers than
    /// pieces, and nothing asked of the remotes when there is no work (a job's count of remote calls stays what it did).
    /// </summary>
    public async ValueTask<int> WorkersAsync(int? requested, int items, CancellationToken cancellationToken) =>
        items <= 1 ? 1 : Math.Min(items, await WorkersAsync(requested, cancellationToken));

    public PoolRemote Remote(string name) =>
        Remotes.TryGet(name, out var remote) ? remote : throw new KeyNotFoundException($"{name} is not a remote of this pool.");

    /// <summary>The pool remote a manifest location names; Environment when the config no longer lists it.</summary>
    public PoolRemote RemoteOf(ChunkLocation location) =>
        Remotes.TryGet(location.Remote, out var remote)
            ? remote
            : throw new PoolException(PoolErrorKind.Environment, $"A manifest names remote {location.Remote}, which is not in the config's 'remotes'; add it back to read this file.");

    /// <summary>Reads the state of the pool from the remotes (<see cref="PoolSurvey"/>): what a job or an empty index starts from.</summary>
    public Task<PoolSurvey> SurveyAsync(SurveyOptions options, CancellationToken cancellationToken) =>
        PoolSurvey.TakeAsync(Store, Layout, Remotes, PoolId, Index, options, cancellationToken);

    /// <summary>The object of a location as the store addresses it.</summary>
    public RemotePath PathOf(ChunkLocation location) => new(RemoteOf(location).Storage, location.Object);
}
