using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using RclonePool.Core.Config;
using RclonePool.Core.Errors;

namespace RclonePool.Core.Caching;

/// <summary>
/// The chunk cache (<c>enable_chunk_cache</c>): verified blocks of recently read chunks in private files under
/// <c>temp_dir</c> (RAM-backed in /dev/shm), at most <c>chunk_cache_size_mb</c> of them, least recently used chunk
/// evicted first, shared by every reader of the process. A chunk is one sparse file named by its object id (ids are
/// never reused, so nothing needs invalidating), filled block by block by <see cref="FillJob"/>s; a reader of a
/// block some job is fetching waits for that job instead of fetching it again (single flight). Every block read
/// back from a file is checked against its digest once more; a mismatch counts as a miss and the block is fetched
/// again, so a damaged cache file is never served. Memory: one block buffer per running job; the data lives in
/// the files, not on the managed heap.
/// </summary>
public sealed partial class ChunkCache : IChunkCache
{
    private const int MaxCorruptRereads = 3;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, CacheEntry> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<CacheEntry> _recency = new(); // first: most recently used
    private readonly HashSet<FillJob> _jobs = [];
    private readonly CancellationTokenSource _shutdown = new();
    private readonly string _tempDir;
    private readonly ILogger _logger;
    private CacheDirectory? _directory;
    private bool _unusable;
    private bool _disposed;
    private long _reserved;
    private long _fileSequence;
    private long _hits;
    private long _misses;
    private long _fetches;
    private long _fetchedBytes;
    private long _prefetches;
    private long _evictions;
    private long _corruptBlocks;
    private long _bypasses;
    private int _waiting;

    public ChunkCache(string tempDir, long capacityBytes, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacityBytes);
        _tempDir = tempDir;
        CapacityBytes = capacityBytes;
        _logger = logger;
    }

    /// <summary>The cache the config asks for: this one, or <see cref="NullChunkCache"/> when it is off or of size 0.</summary>
    public static IChunkCache FromConfig(PoolConfig config, ILogger logger) =>
        config.EnableChunkCache && config.ChunkCacheSizeMb > 0
            ? new ChunkCache(config.TempDir, config.ChunkCacheSizeMb * 1024L * 1024L, logger)
            : NullChunkCache.Instance;

    public bool IsEnabled => true;

    public long CapacityBytes { get; }

    /// <summary>This process's cache directory, once the first fetch created it.</summary>
    public string? DirectoryPath => _directory?.Path;

    public ChunkCacheStatistics Statistics
    {
        get
        {
            lock (_gate)
            {
                return new ChunkCacheStatistics
                {
                    CapacityBytes = CapacityBytes,
                    CachedBytes = _reserved,
                    Chunks = _entries.Count,
                    Hits = Interlocked.Read(ref _hits),
                    Misses = Interlocked.Read(ref _misses),
                    Fetches = Interlocked.Read(ref _fetches),
                    FetchedBytes = Interlocked.Read(ref _fetchedBytes),
                    Prefetches = Interlocked.Read(ref _prefetches),
                    Evictions = Interlocked.Read(ref _evictions),
                    CorruptBlocks = Interlocked.Read(ref _corruptBlocks),
                    Bypasses = Interlocked.Read(ref _bypasses),
                    ReadThroughBlocks = Interlocked.Read(ref _readThroughBlocks),
                    Promotions = Interlocked.Read(ref _promotions),
                    ReadersWaiting = Volatile.Read(ref _waiting),
                };
            }
        }
    }

    public ValueTask<bool> ReadBlockAsync(IChunkSource chunk, int block, BlockRange fetch, Memory<byte> destination, CancellationToken lifetime, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(destination.Length, chunk.BlockLength(block), nameof(destination));

        // Fast path: the block is here; no await, no allocation.
        if (TryPin(chunk, block) is { } entry)
        {
            if (ReadPinned(entry, chunk, block, destination.Span) == ReadOutcome.Served)
            {
                Interlocked.Increment(ref _hits);
                return ValueTask.FromResult(true);
            }
        }

        return ReadBlockSlowAsync(chunk, block, fetch.With(block), destination, lifetime, cancellationToken);
    }

    private async ValueTask<bool> ReadBlockSlowAsync(IChunkSource chunk, int block, BlockRange fetch, Memory<byte> destination, CancellationToken lifetime, CancellationToken cancellationToken)
    {
        FillJob? waited = null;
        var corruptRereads = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            CacheEntry? pinned = null;
            FillJob? job = null;
            FillJob? own = null;
            List<FillJob>? started = null;
            lock (_gate)
            {
                var entry = _disposed || _unusable ? null : Lookup(chunk);
                if (entry is null)
                {
                    return Bypass();
                }

                Touch(entry);
                switch (entry.States[block])
                {
                    case BlockState.Present:
                        entry.Pins++;
                        pinned = entry;
                        break;
                    case BlockState.Filling:
                        job = entry.Jobs[block]!;
                        started = RequestPromotion(job);
                        break;
                    default:
                        if (waited is { } failed && failed.Landed <= block)
                        {
                            // The fetch we waited for ended without this block.
                            if (failed.CacheFailed)
                            {
                                DropIfUnused(entry);
                                return Bypass();
                            }

                            if (failed.Failure is { } failure)
                            {
                                throw Rethrow(failure);
                            }
                        }

                        started = Claim(entry, chunk, fetch, prefetch: false, lifetime);
                        if (started is null)
                        {
                            DropIfUnused(entry);
                            return Bypass();
                        }

                        job = entry.Jobs[block]!;
                        own = job;
                        break;
                }
            }

            DeleteDoomed();
            Start(started, inline: own);
            if (pinned is not null)
            {
                switch (ReadPinned(pinned, chunk, block, destination.Span))
                {
                    case ReadOutcome.Served:
                        Interlocked.Increment(ref waited is null ? ref _hits : ref _misses);
                        return true;
                    case ReadOutcome.Unavailable:
                        return Bypass();
                    default:
                        if (++corruptRereads >= MaxCorruptRereads)
                        {
                            return Bypass();
                        }

                        waited = null;
                        continue;
                }
            }

            waited = job;
            Interlocked.Increment(ref _waiting);
            try
            {
                await job!.WaitAsync(block, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
        }
    }

    public bool Prefetch(IChunkSource chunk, BlockRange blocks, CancellationToken lifetime)
    {
        List<FillJob>? started;
        lock (_gate)
        {
            var entry = _disposed || _unusable || lifetime.IsCancellationRequested ? null : Lookup(chunk);
            if (entry is null)
            {
                return false;
            }

            Touch(entry);
            started = Claim(entry, chunk, blocks, prefetch: true, lifetime);
            if (started is null)
            {
                DropIfUnused(entry);
            }
        }

        DeleteDoomed();
        Start(started);
        return started is not null;
    }

    /// <summary>Pins the entry when the block is present (and the cache usable); null otherwise.</summary>
    private CacheEntry? TryPin(IChunkSource chunk, int block)
    {
        lock (_gate)
        {
            if (_disposed || !_entries.TryGetValue(chunk.Id, out var entry) || !entry.Fits(chunk) || entry.States[block] != BlockState.Present)
            {
                return null;
            }

            Touch(entry);
            entry.Pins++;
            return entry;
        }
    }

    private enum ReadOutcome
    {
        Served,
        Corrupt,
        Unavailable,
    }

    /// <summary>Reads a present block of a pinned entry from its file and checks it; unpins.</summary>
    private ReadOutcome ReadPinned(CacheEntry entry, IChunkSource chunk, int block, Span<byte> destination)
    {
        var outcome = ReadOutcome.Unavailable;
        try
        {
            if (entry.File is { } file)
            {
                var read = RandomAccess.Read(file.SafeFileHandle, destination, (long)block * entry.BlockSize);
                outcome = read == destination.Length && chunk.Verify(block, destination) ? ReadOutcome.Served : ReadOutcome.Corrupt;
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or UnauthorizedAccessException)
        {
            // Disposed under us, or the file vanished: let the caller read the remote.
        }

        lock (_gate)
        {
            entry.Pins--;
            if (outcome == ReadOutcome.Served)
            {
                entry.Unread = false;
            }
            else if (outcome == ReadOutcome.Corrupt && entry.States[block] == BlockState.Present)
            {
                Interlocked.Increment(ref _corruptBlocks);
                CacheLog.CorruptBlock(_logger, entry.Id, block);
                entry.States[block] = BlockState.Absent;
                Release(entry, entry.BlockLength(block));
            }

            DropIfUnused(entry);
        }

        if (outcome != ReadOutcome.Served)
        {
            destination.Clear();
            DeleteDoomed();
        }

        return outcome;
    }

    /// <summary>The entry of a chunk, created empty when missing; null when an entry of another shape is in use under its id.</summary>
    private CacheEntry? Lookup(IChunkSource chunk)
    {
        if (_entries.TryGetValue(chunk.Id, out var entry))
        {
            if (entry.Fits(chunk))
            {
                return entry;
            }

            if (entry.Pins > 0)
            {
                return null;
            }

            Remove(entry, evicted: false);
        }

        entry = new CacheEntry(chunk, FileName(chunk.Id, ++_fileSequence));
        _entries.Add(chunk.Id, entry);
        _recency.AddFirst(entry.Node);
        return entry;
    }

    private void Touch(CacheEntry entry)
    {
        if (_recency.First != entry.Node)
        {
            _recency.Remove(entry.Node);
            _recency.AddFirst(entry.Node);
        }
    }

    private bool Bypass()
    {
        Interlocked.Increment(ref _bypasses);
        return false;
    }

    private static PoolException Rethrow(Exception failure) => failure is PoolException p
        ? new PoolException(p.Kind, p.Message, p)
        : new PoolException(PoolErrorKind.Transient, $"Fetching a chunk failed ({failure.Message}); try again.", failure);

    /// <summary>The file name of a chunk: its object id when that is a plain name, else a digest of it; plus a sequence number.</summary>
    private static string FileName(string id, long sequence)
    {
        var plain = id.Length is > 0 and <= 128 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
        var name = plain ? id : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
        return $"{name}.{sequence}";
    }

    public async ValueTask DisposeAsync()
    {
        FillJob[] running;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;

            // Read-throughs belong to their readers, which go on reading the remotes directly.
            foreach (var job in _jobs.Where(j => j.Inline is not null).ToList())
            {
                Detach(job.Inline!);
            }

            running = [.. _jobs];
        }

        await _shutdown.CancelAsync();
        await Task.WhenAll(running.Select(j => j.Completion));
        lock (_gate)
        {
            foreach (var entry in _entries.Values.ToList())
            {
                Remove(entry, evicted: false);
            }
        }

        DeleteDoomed();
        _directory?.Dispose();
        _shutdown.Dispose();
    }
}
