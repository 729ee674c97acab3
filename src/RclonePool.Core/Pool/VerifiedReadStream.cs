using System.Buffers;
using System.Security.Cryptography;
using RclonePool.Core.Errors;
using RclonePool.Core.Integrity;
using RclonePool.Core.Manifests;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Pool;

/// <summary>
/// Reads a byte range of one file revision (pinned by its manifest), fetching only the hash blocks that
/// cover the range and checking each block's digest before handing out any of its bytes. A chunk read from
/// its first byte to its last is also checked against the chunk's SHA-256. Memory: one block buffer.
/// </summary>
internal sealed class VerifiedReadStream : Stream
{
    private readonly Manifest _manifest;
    private readonly IRemoteStore _store;
    private readonly Func<ChunkLocation, PoolRemote> _resolve;
    private readonly long _end;
    private readonly byte[] _block;
    private readonly byte[][] _digests;
    private long _position;
    private int _blockStart;
    private int _blockLength;

    // The open remote read: chunk index, next block expected from it, and whole-chunk hashing when it started at block 0.
    private Stream? _remote;
    private ChunkLocation? _remoteLocation;
    private int _remoteChunk = -1;
    private int _remoteNextBlock;
    private IncrementalHash? _chunkHash;
    private bool _disposed;

    public VerifiedReadStream(Manifest manifest, IRemoteStore store, Func<ChunkLocation, PoolRemote> resolve, long offset, long count)
    {
        _manifest = manifest;
        _store = store;
        _resolve = resolve;
        _position = offset;
        _end = offset + count;
        _block = ArrayPool<byte>.Shared.Rent(manifest.BlockSize);
        _digests = new byte[manifest.Chunks.Count][];
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

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= _end || buffer.IsEmpty)
        {
            return 0;
        }

        if (_blockLength == 0)
        {
            await LoadBlockAsync(cancellationToken);
        }

        var take = (int)Math.Min(Math.Min(buffer.Length, _blockLength), _end - _position);
        _block.AsSpan(_blockStart, take).CopyTo(buffer.Span);
        _blockStart += take;
        _blockLength -= take;
        _position += take;
        return take;
    }

    /// <summary>Fetches and verifies the block holding <see cref="_position"/>, leaving the window at the position.</summary>
    private async Task LoadBlockAsync(CancellationToken cancellationToken)
    {
        var chunkIndex = FindChunk(_position);
        var chunk = _manifest.Chunks[chunkIndex];
        var blockSize = _manifest.BlockSize;
        var within = _position - chunk.Offset;
        var blockIndex = (int)(within / blockSize);
        var blockOffset = (long)blockIndex * blockSize;
        var blockLength = (int)Math.Min(blockSize, chunk.Length - blockOffset);

        if (_remote is null || _remoteChunk != chunkIndex || _remoteNextBlock != blockIndex)
        {
            await OpenAsync(chunkIndex, blockIndex, cancellationToken);
        }

        var location = _remoteLocation!;
        int filled;
        try
        {
            filled = await ReadFullyAsync(_remote!, _block.AsMemory(0, blockLength), cancellationToken);
        }
        catch (PoolException)
        {
            await CloseRemoteAsync();
            throw;
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            await CloseRemoteAsync();
            throw new PoolException(PoolErrorKind.Transient, $"Reading chunk {chunkIndex} of {_manifest.Path} from {location.Remote} failed ({e.Message}); try again.", e);
        }

        if (filled != blockLength)
        {
            await CloseRemoteAsync();
            throw PoolErrors.ChunkCorrupt(_manifest.Path, chunkIndex, location.Remote, $"the stored object ends early: {filled} of {blockLength} bytes at block {blockIndex}");
        }

        if (!BlockDigest.Matches(_block.AsSpan(0, blockLength), Digests(chunkIndex), blockIndex))
        {
            await CloseRemoteAsync();
            throw PoolErrors.ChunkCorrupt(_manifest.Path, chunkIndex, location.Remote, $"block {blockIndex} does not match its hash");
        }

        _remoteNextBlock = blockIndex + 1;
        if (_chunkHash is not null)
        {
            _chunkHash.AppendData(_block, 0, blockLength);
            if (blockOffset + blockLength == chunk.Length)
            {
                var actual = Convert.ToHexStringLower(_chunkHash.GetHashAndReset());
                _chunkHash.Dispose();
                _chunkHash = null;
                if (!string.Equals(actual, chunk.Sha256, StringComparison.Ordinal))
                {
                    await CloseRemoteAsync();
                    throw PoolErrors.ChunkCorrupt(_manifest.Path, chunkIndex, location.Remote, "its SHA-256 does not match the manifest");
                }
            }
        }

        _blockStart = (int)(within - blockOffset);
        _blockLength = blockLength - _blockStart;
    }

    /// <summary>Opens one ranged read from the block through the end of the requested range within the chunk.</summary>
    private async Task OpenAsync(int chunkIndex, int blockIndex, CancellationToken cancellationToken)
    {
        await CloseRemoteAsync();
        var chunk = _manifest.Chunks[chunkIndex];
        var from = (long)blockIndex * _manifest.BlockSize;
        var lastByte = Math.Min(_end, chunk.Offset + chunk.Length) - chunk.Offset;
        var lastBlockEnd = Math.Min(chunk.Length, (lastByte + _manifest.BlockSize - 1) / _manifest.BlockSize * _manifest.BlockSize);
        var length = lastBlockEnd - from;

        PoolException? last = null;
        foreach (var location in chunk.Locations.Where(l => l.Role != LocationRole.Shard))
        {
            try
            {
                var remote = _resolve(location);
                _remote = await _store.OpenReadAsync(new RemotePath(remote.Storage, location.Object), from, length, cancellationToken);
                _remoteLocation = location;
                _remoteChunk = chunkIndex;
                _remoteNextBlock = blockIndex;
                _chunkHash = blockIndex == 0 && lastBlockEnd == chunk.Length ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
                return;
            }
            catch (PoolException e) when (e.Kind is PoolErrorKind.NotFound or PoolErrorKind.Transient or PoolErrorKind.Remote)
            {
                last = e.Kind == PoolErrorKind.NotFound
                    ? PoolErrors.ChunkCorrupt(_manifest.Path, chunkIndex, location.Remote, "the stored object is missing")
                    : e;
            }
        }

        throw last ?? new PoolException(PoolErrorKind.Integrity, $"Chunk {chunkIndex} of {_manifest.Path} has no readable location.");
    }

    private byte[] Digests(int chunkIndex) => _digests[chunkIndex] ??= Convert.FromBase64String(_manifest.Chunks[chunkIndex].BlockHashes);

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

    private static async Task<int> ReadFullyAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer[filled..], cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }

    private async ValueTask CloseRemoteAsync()
    {
        if (_remote is not null)
        {
            await _remote.DisposeAsync();
            _remote = null;
        }

        _chunkHash?.Dispose();
        _chunkHash = null;
        _remoteChunk = -1;
    }

    public override async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await CloseRemoteAsync();
        ArrayPool<byte>.Shared.Return(_block);
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _remote?.Dispose();
            _remote = null;
            _chunkHash?.Dispose();
            _chunkHash = null;
        }

        base.Dispose(disposing);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
