using System.Runtime.CompilerServices;
using RclonePool.Core.Caching;
using RclonePool.Core.Config;
using RclonePool.Core.Errors;
using RclonePool.Core.Events;
using RclonePool.Core.Index;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Placement;
using RclonePool.Core.Plugins;
using RclonePool.Core.Pool.Reading;
using RclonePool.Core.Pool.Writing;
using RclonePool.Core.Quotas;
using RclonePool.Core.Remotes;
using RclonePool.Core.Resilience;

namespace RclonePool.Core.Pool;

/// <summary>
/// The pool as a file system: files cut into chunks spread over the remotes, a manifest per entry on every remote, a
/// local index answering lookups. The façade every front end uses: stat, list, read, and the mutations, each under the
/// locks of the paths it changes. The work itself is done by the write engine (<c>Pool/Writing</c>) and the read path
/// (<c>Pool/Reading</c>); long-running jobs (<c>Jobs/</c>) are services over this class. Built by
/// <see cref="PoolBuilder"/>. Thread-safe.
/// </summary>
public sealed partial class StoragePool : IPoolFileSystem, IAsyncDisposable
{
    private readonly IRemoteStore? _ownedTransport;
    private readonly PoolPlugins? _plugins;

    internal StoragePool(PoolContext context, IRemoteStore? ownedTransport, PoolPlugins? plugins = null)
    {
        Context = context;
        _ownedTransport = ownedTransport;
        _plugins = plugins;
        Writing = new WriteEngine(context);
        Reader = new PoolReader(context);
    }

    /// <summary>The state the pool's parts share (for the write engine and the jobs).</summary>
    internal PoolContext Context { get; }

    internal WriteEngine Writing { get; }

    internal PoolReader Reader { get; }

    public PoolConfig Config => Context.Config;

    public string PoolId => Context.PoolId;

    public IReadOnlyList<PoolRemote> Remotes => Context.Remotes;

    /// <summary>The pool's event bus (hook points PRE_UPLOAD … REMOTE_ERROR, and progress).</summary>
    public PoolEventBus Events => Context.Events;

    /// <summary>File bytes stored and served, and the façade's operations, since the pool was opened.</summary>
    public PoolTraffic Traffic => Context.Traffic;

    /// <summary>The chunk cache every read of this pool shares (<see cref="NullChunkCache"/> when it is off).</summary>
    public IChunkCache ChunkCache => Context.ChunkCache;

    /// <summary>Skips a remote that failed transiently too often in a row, across operations, for a cool-down period.</summary>
    public RemoteCircuitBreaker CircuitBreaker => Context.CircuitBreaker;

    /// <summary>Remote calls this pool has made since it was opened (every retry attempt counts); jobs report the difference.</summary>
    public long RemoteCallCount => Context.RemoteCallCount;

    /// <summary>
    /// Configured remotes without a pool descriptor (see <see cref="PoolIdentity"/>): read around, never written to,
    /// until 'init' or 'rebuild' claims them.
    /// </summary>
    public IReadOnlyList<string> Unclaimed => Context.Unclaimed.Names;

    public async ValueTask<PoolEntry?> StatAsync(PoolPath path, CancellationToken cancellationToken)
    {
        if (path.IsRoot)
        {
            return new PoolEntry { Path = path, Kind = EntryKind.Directory };
        }

        var found = await Context.Index.LookupAsync(path, cancellationToken);
        return found.Manifest is { } manifest ? PoolEntry.Of(manifest)
            : found.Exists ? new PoolEntry { Path = path, Kind = EntryKind.Directory }
            : null;
    }

    /// <summary>The current manifest of a file or directory object, or null.</summary>
    public ValueTask<Manifest?> GetManifestAsync(PoolPath path, CancellationToken cancellationToken) => Context.Index.GetAsync(path, cancellationToken);

    public async IAsyncEnumerable<PoolEntry> ListAsync(PoolPath directory, bool recursive, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var entry = await StatAsync(directory, cancellationToken) ?? throw PoolErrors.NotFound(directory);
        if (!entry.IsDirectory)
        {
            throw new PoolException(PoolErrorKind.BadInput, $"{directory} is a file, not a directory.");
        }

        await foreach (var item in Context.Index.ListAsync(directory, recursive, cancellationToken))
        {
            yield return PoolEntry.Of(item);
        }
    }

    /// <summary>The quota this pool is held to (a user's, in a multi-user server), or null when it has none.</summary>
    public QuotaLedger? Quota => Context.Quota;

    /// <summary>Files, directories and bytes in the pool, and the objects and stored bytes per remote, from the index's running totals.</summary>
    public ValueTask<PoolTotals> TotalsAsync(CancellationToken cancellationToken) => Context.Index.TotalsAsync(cancellationToken);

    /// <summary>The WebDAV lock table every gateway of the pool shares, when its index is shared (PostgreSQL); null otherwise.</summary>
    public ISharedDavLocks? SharedDavLocks => Context.Index as ISharedDavLocks;

    public ValueTask<long?> FreeBytesAsync(CancellationToken cancellationToken) => Context.Capacity.FreeBytesAsync(cancellationToken);

    /// <summary>Chunk transfers one operation keeps in flight by default: <c>max_parallel_workers</c>, or what "auto" works out for the remotes.</summary>
    public ValueTask<int> TransferWorkersAsync(CancellationToken cancellationToken) => Context.WorkersAsync(null, cancellationToken);

    /// <summary>Free space and stored bytes of every remote (free space asked of rclone at most every 10 s).</summary>
    public Task<IReadOnlyList<RemoteLoad>> MeasureAsync(CancellationToken cancellationToken) => Context.Capacity.MeasureAsync(cancellationToken);

    /// <summary>Closes the index and the chunk cache (the pool owns them), and the transport when the builder created it.</summary>
    /// <summary>The plugins and event commands this pool runs (null for a pool built without them).</summary>
    public PoolPlugins? Plugins => _plugins;

    public async ValueTask DisposeAsync()
    {
        if (_plugins is not null)
        {
            // First: the events still queued go to their handlers and commands while the pool is whole.
            await _plugins.DisposeAsync();
        }

        await Context.Watchdog.DisposeAsync();
        await Context.ChunkCache.DisposeAsync();
        await Context.Index.DisposeAsync();
        Context.Capacity.Dispose();
        Context.Quota?.Dispose();
        if (_ownedTransport is not null)
        {
            await _ownedTransport.DisposeAsync();
        }
    }
}
