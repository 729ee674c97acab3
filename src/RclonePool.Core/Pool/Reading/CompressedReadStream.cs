using System.Buffers;
using RclonePool.Core.Compression;
using RclonePool.Core.Errors;
using RclonePool.Core.Integrity;
using RclonePool.Core.IO;
using RclonePool.Core.Manifests;
using RclonePool.Core.Plugins;

namespace RclonePool.Core.Pool.Reading;

/// <summary>
/// A verified read of a plain byte range of a revision that has coded chunks (zstd, codec plugins): opens one read of
/// exactly the stored bytes of the hash blocks the range touches (through <see cref="StoredView"/>, so the stored bytes
/// are verified, cached and rebuilt as any others), then decodes block by block (<see cref="BlockDecoder"/>) and checks
/// each block's plain digest before handing out any of its bytes. A 64 KiB seek decodes one or two blocks. Memory: two
/// block buffers.
/// </summary>
internal sealed class CompressedReadStream : ReadOnlyStream
{
    private readonly Manifest _manifest;
    private readonly StoredBlockMap?[] _maps;
    private readonly byte[]?[] _digests;
    private readonly BlockCodecChain?[] _codecs;
    private readonly Stream _stored;
    private readonly long _end;
    private readonly BlockDecoder _decoder = new();
    private byte[]? _storedBlock;
    private byte[]? _plainBlock;
    private long _position;
    private int _chunk;
    private int _block;
    private int _skip;
    private int _blockStart;
    private int _blockLength;
    private bool _disposed;

    /// <param name="codecs">The chain of each coded chunk (null for a raw one).</param>
    /// <param name="openStored">Opens a verified read of the stored view (its manifest, offset, count).</param>
    public CompressedReadStream(Manifest manifest, BlockCodecChain?[] codecs, long offset, long count, Func<Manifest, long, long, Stream> openStored)
    {
        _manifest = manifest;
        _codecs = codecs;
        _maps = new StoredBlockMap?[manifest.Chunks.Count];
        _digests = new byte[]?[manifest.Chunks.Count];
        _position = offset;
        _end = offset + count;

        var view = StoredView.Of(manifest);
        (_chunk, _block) = Locate(offset);
        _skip = (int)(offset - manifest.Chunks[_chunk].Offset - ((long)_block * manifest.BlockSize));
        var (lastChunk, lastBlock) = Locate(_end - 1);
        var storedStart = view.Offsets[_chunk] + Map(_chunk).StoredStart(_block);
        var storedEnd = view.Offsets[lastChunk] + Map(lastChunk).StoredStart(lastBlock) + Map(lastChunk).StoredLengthOf(lastBlock);
        _stored = openStored(view.Manifest, storedStart, storedEnd - storedStart);
    }

    protected override long BytesHandedOut => _position;

    public override long Length => _end;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_position >= _end || buffer.IsEmpty)
        {
            return 0;
        }

        if (_blockLength == 0)
        {
            await LoadNextBlockAsync(cancellationToken);
        }

        var take = (int)Math.Min(Math.Min(buffer.Length, _blockLength), _end - _position);
        _plainBlock.AsSpan(_blockStart, take).CopyTo(buffer.Span);
        _blockStart += take;
        _blockLength -= take;
        _position += take;
        return take;
    }

    /// <summary>Reads the next block's stored bytes, restores and checks its plain bytes.</summary>
    private async ValueTask LoadNextBlockAsync(CancellationToken cancellationToken)
    {
        var chunk = _manifest.Chunks[_chunk];
        var map = Map(_chunk);
        var plainLength = map.PlainLength(_block);
        var storedLength = map.StoredLengthOf(_block);
        if (_storedBlock is not null && _storedBlock.Length < storedLength)
        {
            ArrayPool<byte>.Shared.Return(_storedBlock);
            _storedBlock = null;
        }

        _storedBlock ??= ArrayPool<byte>.Shared.Rent(Math.Max(_manifest.BlockSize, storedLength));
        _plainBlock ??= ArrayPool<byte>.Shared.Rent(_manifest.BlockSize);
        await _stored.ReadExactlyAsync(_storedBlock.AsMemory(0, storedLength), cancellationToken);

        var plain = _plainBlock.AsSpan(0, plainLength);
        var decoded = _codecs[_chunk] is { } codecs
            ? _decoder.TryDecode(codecs, _storedBlock.AsSpan(0, storedLength), map.StoredStart(_block), plain, $"block {_block} of chunk {chunk.Index} of {_manifest.Path}")
            : CopyRaw(_storedBlock.AsSpan(0, storedLength), plain);
        if (!decoded || !BlockDigest.Matches(plain, Digests(_chunk), _block))
        {
            var versions = _manifest.Plugins is { Count: > 0 } plugins ? $" (written with {string.Join(", ", plugins.Select(p => $"{p.Id} {p.Version}"))}: is the plugin in use another version that decodes differently?)" : string.Empty;
            throw new PoolException(PoolErrorKind.Integrity, $"Block {_block} of chunk {chunk.Index} of {_manifest.Path} matched its stored hash but does not decode to its recorded bytes{versions}; run 'rclonepool verify {_manifest.Path}' and report this.");
        }

        _blockStart = _skip;
        _blockLength = plainLength - _skip;
        _skip = 0;
        if (++_block == ((chunk.Length + _manifest.BlockSize - 1) / _manifest.BlockSize))
        {
            _block = 0;
            _chunk++;
        }
    }

    private static bool CopyRaw(ReadOnlySpan<byte> stored, Span<byte> plain)
    {
        stored.CopyTo(plain);
        return stored.Length == plain.Length;
    }

    private StoredBlockMap Map(int chunk) => _maps[chunk] ??= new StoredBlockMap(_manifest.Chunks[chunk], _manifest.BlockSize);

    private byte[] Digests(int chunk) => _digests[chunk] ??= Convert.FromBase64String(_manifest.Chunks[chunk].BlockHashes);

    /// <summary>The chunk and block that hold plain byte <paramref name="position"/>.</summary>
    private (int Chunk, int Block) Locate(long position)
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

        return (lo, (int)((position - _manifest.Chunks[lo].Offset) / _manifest.BlockSize));
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            await _stored.DisposeAsync();
            Release();
        }

        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _stored.Dispose();
            Release();
        }

        base.Dispose(disposing);
    }

    private void Release()
    {
        _decoder.Dispose();
        if (_storedBlock is not null)
        {
            ArrayPool<byte>.Shared.Return(_storedBlock);
            _storedBlock = null;
        }

        if (_plainBlock is not null)
        {
            ArrayPool<byte>.Shared.Return(_plainBlock);
            _plainBlock = null;
        }
    }
}
