using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Polly;
using RclonePool.Core.Caching;
using RclonePool.Core.Config;
using RclonePool.Core.Errors;
using RclonePool.Core.Events;
using RclonePool.Core.Index;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Placement;
using RclonePool.Core.Remotes;
using RclonePool.Core.Resilience;

namespace RclonePool.Core.Pool;

/// <summary>
/// The pool: files cut into chunks spread over the remotes, a manifest per entry on every remote, a local
/// index answering lookups. Implements the façade every front end uses. Thread-safe.
/// </summary>
public sealed partial class StoragePool : IPoolFileSystem, IAsyncDisposable
{
    private readonly IRemoteStore _store;
    private readonly IPoolIndex _index;
    private readonly IBalancer _balancer;
    private readonly ResiliencePipeline _retry;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, PoolRemote> _remotesByName;

    /// <param name="chunkCache">The chunk cache to read through (the pool owns it); null: the one the config asks for.</param>
    public StoragePool(PoolConfig config, string poolId, IRemoteStore store, IPoolIndex index, ResiliencePipeline retry, TimeProvider time, ILogger logger, IChunkCache? chunkCache = null)
    {
        Config = config;
        PoolId = poolId;
        _index = index;
        _retry = retry;
        _time = time;
        _logger = logger;
        _balancer = new LeastUsedBalancer();
        Remotes = PoolRemote.FromConfig(config);
        _remotesByName = Remotes.ToDictionary(r => r.Name, StringComparer.Ordinal);
        Layout = new PoolLayout(config.DataPrefix, config.ManifestPrefix);

        Events = new PoolEventBus(logger, time);
        CircuitBreaker = RetryPipelines.CreateCircuitBreaker(config, time);
        CircuitBreaker.Opened += OnCircuitOpened;
        (_store, _storeOnce, _reporting) = Decorate(store, Events, retry, CircuitBreaker, Remotes); // retries, circuits and REMOTE_ERROR around every remote call (StoragePool.Events.cs)
        Manifests = new ManifestStore(_store, Layout, Remotes, logger);
        _chunkCache = chunkCache ?? Caching.ChunkCache.FromConfig(config, logger);
    }

    /// <summary>The pool's event bus (hook points PRE_UPLOAD … REMOTE_ERROR, and progress).</summary>
    public PoolEventBus Events { get; }

    /// <summary>The remote store as the pool uses it: with retries and REMOTE_ERROR reporting around the transport.</summary>
    public IRemoteStore Store => _store;

    public PoolConfig Config { get; }

    public string PoolId { get; }

    public IReadOnlyList<PoolRemote> Remotes { get; }

    public PoolLayout Layout { get; }

    public ManifestStore Manifests { get; }

    public IPoolIndex Index => _index;

    private int Workers(int? requested) => Math.Max(1, requested ?? Config.MaxParallelWorkers);

    public async ValueTask<PoolEntry?> StatAsync(PoolPath path, CancellationToken cancellationToken)
    {
        if (path.IsRoot)
        {
            return new PoolEntry { Path = path, Kind = EntryKind.Directory };
        }

        var found = await _index.LookupAsync(path, cancellationToken);
        return found.Manifest is { } manifest ? ToEntry(manifest)
            : found.Exists ? new PoolEntry { Path = path, Kind = EntryKind.Directory }
            : null;
    }

    /// <summary>The current manifest of a file or directory object, or null.</summary>
    public ValueTask<Manifest?> GetManifestAsync(PoolPath path, CancellationToken cancellationToken) => _index.GetAsync(path, cancellationToken);

    public async IAsyncEnumerable<PoolEntry> ListAsync(PoolPath directory, bool recursive, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var entry = await StatAsync(directory, cancellationToken) ?? throw PoolErrors.NotFound(directory);
        if (!entry.IsDirectory)
        {
            throw new PoolException(PoolErrorKind.BadInput, $"{directory} is a file, not a directory.");
        }

        await foreach (var item in _index.ListAsync(directory, recursive, cancellationToken))
        {
            yield return new PoolEntry
            {
                Path = PoolPath.Parse(item.Path),
                Kind = item.Kind,
                Size = item.Size,
                Modified = item.Modified,
                Created = item.Created,
                Sha256 = item.Sha256,
                FileId = item.FileId,
                Revision = item.Revision,
                Properties = item.Properties ?? EmptyProperties,
            };
        }
    }

    public async ValueTask<long?> FreeBytesAsync(CancellationToken cancellationToken)
    {
        var loads = await MeasureAsync(cancellationToken);
        return loads.Any(l => l.Free is null) ? null : loads.Sum(l => Math.Max(0, l.Free!.Value));
    }

    /// <summary>
    /// Free space and stored bytes of every remote. Free space comes from rclone's about, asked at most every
    /// <see cref="AboutCacheTime"/> (placement counts the bytes in flight on top), so a stream of small uploads
    /// does not cost a round of about calls each.
    /// </summary>
    public async Task<IReadOnlyList<RemoteLoad>> MeasureAsync(CancellationToken cancellationToken)
    {
        var stored = await _index.StoredBytesByRemoteAsync(cancellationToken);
        var abouts = await AboutAllAsync(cancellationToken);
        return [.. Remotes.Select((r, i) => new RemoteLoad(r.Name, abouts[i]?.Free, stored.GetValueOrDefault(r.Name), 0))];
    }

    private static readonly TimeSpan AboutCacheTime = TimeSpan.FromSeconds(10);
    private readonly SemaphoreSlim _aboutLock = new(1, 1);
    private RemoteUsage?[]? _abouts;
    private long _aboutsTaken;

    private async Task<RemoteUsage?[]> AboutAllAsync(CancellationToken cancellationToken)
    {
        await _aboutLock.WaitAsync(cancellationToken);
        try
        {
            if (_abouts is not null && _time.GetElapsedTime(_aboutsTaken) < AboutCacheTime)
            {
                return _abouts;
            }

            _abouts = await MeasureFreeSpaceAsync(cancellationToken);
            _aboutsTaken = _time.GetTimestamp();
            return _abouts;
        }
        finally
        {
            _aboutLock.Release();
        }
    }

    private async Task<RemoteUsage?[]> MeasureFreeSpaceAsync(CancellationToken cancellationToken)
    {
        return await Task.WhenAll(Remotes.Select(async r =>
        {
            try
            {
                return await _store.AboutAsync(r.Name, cancellationToken);
            }
            catch (PoolException e) when (e.Kind is PoolErrorKind.Transient or PoolErrorKind.Remote)
            {
                _logger.LogWarning("Free space of {Remote} is unknown ({Error}).", r.Name, e.Message);
                return null;
            }
        }));
    }

    private async Task<PlacementSession> NewPlacementAsync(CancellationToken cancellationToken)
    {
        var placement = new PlacementSession(await MeasureAsync(cancellationToken), _balancer);
        foreach (var remote in _unclaimed)
        {
            placement.Exclude(remote);
        }

        return placement;
    }

    private IReadOnlyList<string> _unclaimed = [];

    /// <summary>
    /// Configured remotes without a pool descriptor (see <see cref="PoolIdentity"/>): read around, never written to,
    /// until 'init' or 'rebuild' claims them.
    /// </summary>
    public IReadOnlyList<string> Unclaimed
    {
        get => _unclaimed;
        internal set
        {
            _unclaimed = value;
            if (value.Count > 0)
            {
                _logger.LogWarning(
                    "{Remotes} {Verb} no pool descriptor: new, or emptied since it was used (a deleted directory, a replaced account). Reads go on from the other remotes and nothing new is written there. Run 'rclonepool init' to add a new remote, or 'rclonepool rebuild' to restore a lost one.",
                    string.Join(", ", value), value.Count == 1 ? "has" : "have");
            }
        }
    }

    private PoolRemote RemoteOf(ChunkLocation location) =>
        _remotesByName.TryGetValue(location.Remote, out var remote)
            ? remote
            : throw new PoolException(PoolErrorKind.Environment, $"A manifest names remote {location.Remote}, which is not in the config's 'remotes'; add it back to read this file.");

    /// <summary>Closes the index and the chunk cache (the pool owns them); the remote store belongs to the caller.</summary>
    public async ValueTask DisposeAsync()
    {
        await _chunkCache.DisposeAsync();
        await _index.DisposeAsync();
        _aboutLock.Dispose();
    }

    private static readonly IReadOnlyDictionary<string, string> EmptyProperties = new Dictionary<string, string>();

    private static PoolEntry ToEntry(Manifest m) => new()
    {
        Path = PoolPath.Parse(m.Path),
        Kind = m.Kind,
        Size = m.Size,
        Created = m.Created,
        Modified = m.Modified,
        Sha256 = m.Sha256,
        FileId = m.FileId,
        Revision = m.Revision,
        Properties = m.Properties ?? new Dictionary<string, string>(),
    };
}
