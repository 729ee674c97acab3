using System.Buffers;
using RclonePool.Core.Caching;
using RclonePool.Core.Manifests;
using RclonePool.Core.Pool.Reading;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Pool;

/// <summary>
/// Reads a byte range of one file revision (pinned by its manifest) block by block, handing out a block's bytes
/// only after checking its digest. Blocks come from the chunk cache, which fetches what is missing (and shares
/// fetches between readers), or straight from the remotes when the cache is off or has no room. What is fetched
/// on a miss, and what is prefetched, follows the <see cref="ReadPolicy"/>. Disposing the stream cancels every
/// fetch it started. Memory: one block buffer, and no copy at all when the caller's buffer takes whole blocks.
/// </summary>
internal sealed class VerifiedReadStream : Stream
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

    // The open direct read (no cache): chunk index and the run.
    private RemoteBlockRun? _direct;
    private int _directChunk = -1;

    public VerifiedReadStream(Manifest manifest, IRemoteStore store, Func<ChunkLocation, PoolRemote> resolve, IChunkCache cache, ReadPolicy policy, long offset, long count)
    {
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

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _end;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <summary>The stream reads sequentially once it has handed out <see cref="ReadPolicy.SequentialAfterBytes"/> (it cannot seek).</summary>
    private bool IsSequential => _position - _start >= _policy.SequentialAfterBytes;

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
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
                await LoadBlockAsync(chunkIndex, blockIndex, buffer[..blockLength], cancellationToken);
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
        if (_cache.IsEnabled && chunkIndex != _bypassChunk)
        {
            if (await _cache.ReadBlockAsync(source, blockIndex, FetchOnMiss(source, blockIndex), target, _lifetime.Token, cancellationToken))
            {
                return;
            }

            // No room in the cache now: read the rest of this chunk from the remotes.
            _bypassChunk = chunkIndex;
        }

        await ReadDirectAsync(source, blockIndex, target, cancellationToken);
    }

    /// <summary>What to fetch when the block is missing (docs/read-path.md): the whole chunk when small, the rest of it when sequential, else the range's blocks.</summary>
    private BlockRange FetchOnMiss(ChunkSource source, int blockIndex)
    {
        if (source.Length <= _policy.WholeChunkMaxBytes)
        {
            return new BlockRange(0, source.BlockCount);
        }

        return IsSequential ? new BlockRange(blockIndex, source.BlockCount) : new BlockRange(blockIndex, BlocksNeeded(source));
    }

    /// <summary>Blocks of the chunk up to the end of this stream's range (from the chunk's start).</summary>
    private int BlocksNeeded(ChunkSource source)
    {
        var end = Math.Min(_end, source.Offset + source.Length) - source.Offset;
        return (int)((end + _manifest.BlockSize - 1) / _manifest.BlockSize);
    }

    /// <summary>Once sequential, keeps the next <see cref="ReadPolicy.PrefetchChunks"/> chunks of the range fetching into the cache.</summary>
    private void Prefetch(int chunkIndex)
    {
        if (_policy.PrefetchChunks <= 0 || !_cache.IsEnabled || !IsSequential)
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

    private async ValueTask ReadDirectAsync(ChunkSource source, int blockIndex, Memory<byte> target, CancellationToken cancellationToken)
    {
        if (_direct is null || _directChunk != source.Index || _direct.NextBlock != blockIndex)
        {
            await CloseDirectAsync();
            _direct = (RemoteBlockRun)await source.OpenAsync(new BlockRange(blockIndex, BlocksNeeded(source)), cancellationToken);
            _directChunk = source.Index;
        }

        try
        {
            await _direct.ReadNextAsync(target, cancellationToken);
        }
        catch
        {
            await CloseDirectAsync();
            throw;
        }
    }

    private ChunkSource Source(int chunkIndex) => _sources[chunkIndex] ??= new ChunkSource(_manifest, chunkIndex, _store, _resolve);

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

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
