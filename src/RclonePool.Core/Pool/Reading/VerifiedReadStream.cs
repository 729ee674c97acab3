using System.Buffers;
using RclonePool.Core.Caching;
using RclonePool.Core.IO;
using RclonePool.Core.Manifests;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Pool.Reading;

/// <summary>
/// Reads a byte range of one file revision (pinned by its manifest) block by block, handing out a block's bytes
/// only after checking its digest. A cached block comes from the chunk cache. A missing one is fetched following the
/// <see cref="ReadPolicy"/>: a long read fetches its blocks itself (read-through, claimed in the cache so that a
/// second reader shares the fetch), a short one through the cache, and everything straight from the remotes when
/// the cache is off or has no room. A sequential stream over a slow remote prefetches the next chunks. Disposing the
/// stream cancels every fetch it started. Memory: one block buffer, none when the caller's buffer takes whole blocks.
/// A whole block read from a local chunk file straight into the caller's buffer is also told as a
/// <see cref="FileRegion"/> (<see cref="IFileRegionSource"/>), so that a server can send it from the file.
/// </summary>
internal sealed class VerifiedReadStream : ReadOnlyStream, IFileRegionSource
{
    private readonly Manifest _manifest;
    private readonly IRemoteStore _store;
    private readonly Func<ChunkLocation, PoolRemote> _resolve;
    private readonly IChunkCache _cache;
    private readonly ReadPolicy _policy;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly long _start;
    private readonly long _end;
    private readonly int _lastChunk;
    private readonly ChunkSource?[] _sources;
    private byte[]? _block;
    private long _position;
    private int _blockStart;
    private int _blockLength;
    private int _prefetchedThrough;
    private int _bypassChunk = -1;
    private bool _disposed;
    private FileRegion? _loadedRegion;

    // The long read this stream fetches itself, and how fast the remote has been delivering (for prefetch).
    private readonly TransferMeter _meter = new();
    private ReadThrough? _readThrough;
    private bool _prefetching;

    // The open direct read (no cache): chunk index and the run.
    private IBlockRun? _direct;
    private int _directChunk = -1;

    private readonly ReadDamageHandler? _onDamage;
    private readonly LocalFileRemotes? _localFiles;

    public VerifiedReadStream(Manifest manifest, IRemoteStore store, Func<ChunkLocation, PoolRemote> resolve, IChunkCache cache, ReadPolicy policy, long offset, long count, ReadDamageHandler? onDamage = null, LocalFileRemotes? localFiles = null)
    {
        _onDamage = onDamage;
        _localFiles = localFiles;
        _manifest = manifest;
        _store = store;
        _resolve = resolve;
        _cache = cache;
        _policy = policy;
        _start = offset;
        _position = offset;
        _end = offset + count;
        _sources = new ChunkSource?[manifest.Chunks.Count];
        _lastChunk = count > 0 ? FindChunk(_end - 1) : 0;
        _prefetchedThrough = count > 0 ? FindChunk(offset) : 0;
    }

    protected override long BytesHandedOut => _position;

    public override long Length => _end;

    public FileRegion? LastRegion { get; private set; }

    /// <summary>The stream reads sequentially once it has handed out <see cref="ReadPolicy.SequentialAfterBytes"/> (it cannot seek).</summary>
    private bool IsSequential => _position - _start >= _policy.SequentialAfterBytes;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        LastRegion = null;
        if (_position >= _end || buffer.IsEmpty)
        {
            return 0;
        }

        if (_blockLength == 0)
        {
            var chunkIndex = FindChunk(_position);
            var chunk = _manifest.Chunks[chunkIndex];
            var within = _position - chunk.Offset;
            var blockIndex = (int)(within / _manifest.BlockSize);
            var blockOffset = (long)blockIndex * _manifest.BlockSize;
            var blockLength = (int)Math.Min(_manifest.BlockSize, chunk.Length - blockOffset);

            // A caller taking the whole block gets it in its own buffer: no copy.
            if (within == blockOffset && buffer.Length >= blockLength && _position + blockLength <= _end)
            {
                _loadedRegion = null;
                await LoadBlockAsync(chunkIndex, blockIndex, buffer[..blockLength], cancellationToken);
                LastRegion = _loadedRegion is { } region && region.Length == blockLength ? region : null;
                _position += blockLength;
                return blockLength;
            }

            _block ??= ArrayPool<byte>.Shared.Rent(_manifest.BlockSize);
            await LoadBlockAsync(chunkIndex, blockIndex, _block.AsMemory(0, blockLength), cancellationToken);
            _blockStart = (int)(within - blockOffset);
            _blockLength = blockLength - _blockStart;
        }

        var take = (int)Math.Min(Math.Min(buffer.Length, _blockLength), _end - _position);
        _block.AsSpan(_blockStart, take).CopyTo(buffer.Span);
        _blockStart += take;
        _blockLength -= take;
        _position += take;
        return take;
    }

    /// <summary>Fills <paramref name="target"/> with a checked block: from the cache when it can serve it, else from the remotes.</summary>
    private async ValueTask LoadBlockAsync(int chunkIndex, int blockIndex, Memory<byte> target, CancellationToken cancellationToken)
    {
        var source = Source(chunkIndex);
        Prefetch(chunkIndex);
        if (_cache.IsEnabled && chunkIndex != _bypassChunk && IsLongLocalRead(source, blockIndex))
        {
            // Local files: every reader reads the page cache itself (docs/read-path.md, Read-through).
            await CloseReadThroughAsync();
            _bypassChunk = chunkIndex;
        }

        if (_cache.IsEnabled && chunkIndex != _bypassChunk)
        {
            if (await TryReadThroughAsync(source, blockIndex, target, cancellationToken))
            {
                return;
            }

            if (await _cache.ReadBlockAsync(source, blockIndex, FetchOnMiss(source, blockIndex), target, _lifetime.Token, cancellationToken))
            {
                return;
            }

            // No room in the cache now: read the rest of this chunk from the remotes.
            _bypassChunk = chunkIndex;
        }

        await ReadDirectAsync(source, blockIndex, target, cancellationToken);
    }

    /// <summary>A long read of missing blocks fetches them itself; false when the block is cached, being fetched, or the read is short.</summary>
    private async ValueTask<bool> TryReadThroughAsync(ChunkSource source, int blockIndex, Memory<byte> target, CancellationToken cancellationToken)
    {
        if (_readThrough is { } current && (current.Chunk != source || current.NextBlock != blockIndex))
        {
            await CloseReadThroughAsync();
        }

        if (_readThrough is null)
        {
            var needed = BlocksNeeded(source);
            if (source.Length <= _policy.WholeChunkMaxBytes || (long)(needed - blockIndex) * _manifest.BlockSize < _policy.ReadThroughMinBytes)
            {
                return false;
            }

            _readThrough = _cache.ClaimReadThrough(source, blockIndex, new BlockRange(blockIndex, needed), _lifetime.Token);
            if (_readThrough is null)
            {
                return false;
            }
        }

        if (!await _readThrough.ReadNextAsync(target, cancellationToken))
        {
            // Another reader needed these blocks: the fetch now lands them in the cache for both.
            await CloseReadThroughAsync();
            return false;
        }

        if (_readThrough.NextBlock >= _readThrough.EndBlock)
        {
            await CloseReadThroughAsync();
        }

        return true;
    }

    /// <summary>
    /// A read of at least <see cref="ReadPolicy.ReadThroughMinBytes"/> of a large chunk whose copy is a local file: it
    /// reads the file directly, neither claiming its blocks in the cache nor waiting for another reader's claim.
    /// </summary>
    private bool IsLongLocalRead(ChunkSource source, int blockIndex) =>
        source.Length > _policy.WholeChunkMaxBytes
        && (long)(BlocksNeeded(source) - blockIndex) * _manifest.BlockSize >= _policy.ReadThroughMinBytes
        && source.ReadsLocalFile;

    /// <summary>What to fetch through the cache when the block is missing (docs/read-path.md): the whole chunk when it is small, else the blocks of the range.</summary>
    private BlockRange FetchOnMiss(ChunkSource source, int blockIndex) =>
        source.Length <= _policy.WholeChunkMaxBytes
            ? new BlockRange(0, source.BlockCount)
            : new BlockRange(blockIndex, Math.Max(blockIndex + 1, BlocksNeeded(source)));

    /// <summary>Blocks of the chunk up to the end of this stream's range (from the chunk's start).</summary>
    private int BlocksNeeded(ChunkSource source)
    {
        var end = Math.Min(_end, source.Offset + source.Length) - source.Offset;
        return (int)((end + _manifest.BlockSize - 1) / _manifest.BlockSize);
    }

    /// <summary>
    /// Once sequential over a slow remote, keeps the next <see cref="ReadPolicy.PrefetchChunks"/> chunks of the range
    /// fetching into the cache.
    /// </summary>
    private void Prefetch(int chunkIndex)
    {
        if (_policy.PrefetchChunks <= 0 || !_cache.IsEnabled || !IsSequential || !RemoteIsSlow())
        {
            return;
        }

        var last = Math.Min(_lastChunk, chunkIndex + _policy.PrefetchChunks);
        for (var next = Math.Max(chunkIndex, _prefetchedThrough) + 1; next <= last; next++)
        {
            var source = Source(next);
            if (!_cache.Prefetch(source, new BlockRange(0, BlocksNeeded(source)), _lifetime.Token))
            {
                return; // No room now; try again at the next block.
            }

            _prefetchedThrough = next;
        }
    }

    /// <summary>
    /// True once a window of the remote's deliveries to this stream was slower than
    /// <see cref="ReadPolicy.PrefetchBelowBytesPerSecond"/> (then it stays true: prefetched chunks come from the cache).
    /// </summary>
    private bool RemoteIsSlow()
    {
        if (!_prefetching && _meter.Bytes >= _policy.RateWindowBytes)
        {
            _prefetching = _meter.TakeRate() < _policy.PrefetchBelowBytesPerSecond;
        }

        return _prefetching;
    }

    private async ValueTask ReadDirectAsync(ChunkSource source, int blockIndex, Memory<byte> target, CancellationToken cancellationToken)
    {
        if (_direct is null || _directChunk != source.Index || _direct.NextBlock != blockIndex)
        {
            await CloseDirectAsync();
            _direct = await source.OpenAsync(new BlockRange(blockIndex, BlocksNeeded(source)), cancellationToken);
            _directChunk = source.Index;
        }

        try
        {
            await _direct.ReadNextAsync(target, cancellationToken);
            _loadedRegion = _direct.LastRegion;
        }
        catch
        {
            await CloseDirectAsync();
            throw;
        }
    }

    private ChunkSource Source(int chunkIndex) => _sources[chunkIndex] ??= new ChunkSource(_manifest, chunkIndex, _store, _resolve, _meter, _onDamage, _localFiles);

    private int FindChunk(long position)
    {
        int lo = 0, hi = _manifest.Chunks.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (_manifest.Chunks[mid].Offset <= position)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return lo;
    }

    private async ValueTask CloseReadThroughAsync()
    {
        if (_readThrough is not null)
        {
            await _readThrough.DisposeAsync();
            _readThrough = null;
        }
    }

    private async ValueTask CloseDirectAsync()
    {
        if (_direct is not null)
        {
            await _direct.DisposeAsync();
            _direct = null;
        }

        _directChunk = -1;
    }

    public override async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _lifetime.CancelAsync();
        await CloseReadThroughAsync();
        await CloseDirectAsync();
        Release();
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _lifetime.Cancel();
            _readThrough?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            _readThrough = null;
            _direct?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            _direct = null;
            Release();
        }

        base.Dispose(disposing);
    }

    private void Release()
    {
        _lifetime.Dispose();
        if (_block is not null)
        {
            ArrayPool<byte>.Shared.Return(_block);
            _block = null;
        }
    }
}
