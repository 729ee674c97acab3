using RclonePool.Core.Caching;
using RclonePool.Core.Errors;
using RclonePool.Core.Integrity;
using RclonePool.Core.Manifests;
using RclonePool.Core.Redundancy;

namespace RclonePool.Core.Pool.Reading;

/// <summary>
/// A run over a parity-coded chunk (<see cref="StripeGeometry"/>). Healthy, each block comes straight from the
/// data shard holding it (one ranged read per shard touched). When a shard is missing, unreachable or damaged, each
/// row the run needs from it is rebuilt from k good shards of that row, every block checked against its digest
/// (parity blocks against the digests recorded for them), so wrong bytes are never handed out: with fewer than k
/// good shards the read fails, naming the chunk.
/// </summary>
internal sealed class StripedBlockRun : IBlockRun
{
    private readonly ChunkSource _chunk;
    private readonly StripeGeometry _geometry;
    private readonly ShardReader[] _shards;
    private readonly byte[]?[] _parityDigests;
    private readonly int _to;

    public StripedBlockRun(ChunkSource chunk, BlockRange blocks)
    {
        _chunk = chunk;
        var spec = chunk.Manifest.Redundancy;
        _geometry = new StripeGeometry(chunk.Length, chunk.BlockSize, spec.DataShards, spec.ParityShards);
        _to = blocks.To;
        NextBlock = blocks.From;
        var endRow = blocks.To == 0 ? 0 : _geometry.RowOf(blocks.To - 1) + 1;
        _shards = new ShardReader[_geometry.TotalShards];
        _parityDigests = new byte[]?[_geometry.ParityShards];
        for (var shard = 0; shard < _shards.Length; shard++)
        {
            var location = chunk.Entry.Locations.FirstOrDefault(l => l.Role == LocationRole.Shard && l.Shard == shard);
            _shards[shard] = new ShardReader(chunk, _geometry, shard, location, endRow);
            if (shard >= _geometry.DataShards && location?.BlockHashes is { } digests)
            {
                _parityDigests[shard - _geometry.DataShards] = Convert.FromBase64String(digests);
            }
        }
    }

    public int NextBlock { get; private set; }

    public async ValueTask<int> ReadNextAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (NextBlock >= _to)
        {
            throw new InvalidOperationException("The run has no more blocks.");
        }

        var block = NextBlock;
        var row = _geometry.RowOf(block);
        var reader = _shards[_geometry.ShardOf(block)];
        var length = _geometry.BlockLength(block);
        if (!reader.Bad || reader.BufferedRow == row)
        {
            var bytes = await TryRowAsync(reader, row, cancellationToken);
            if (bytes is { } good)
            {
                good[..length].CopyTo(buffer);
                NextBlock++;
                return length;
            }
        }

        await RebuildRowAsync(row, cancellationToken);
        var rebuilt = reader.Buffer.AsMemory(0, length);
        if (!_chunk.Verify(block, rebuilt.Span))
        {
            throw new PoolException(PoolErrorKind.Integrity, $"Block {block} of chunk {_chunk.Index} of {_chunk.Manifest.Path} rebuilt from parity does not match its hash; more shards are damaged than the stripe can correct. Run 'rclonepool health {_chunk.Manifest.Path}'.");
        }

        rebuilt.CopyTo(buffer);
        NextBlock++;
        return length;
    }

    /// <summary>The shard's checked bytes of <paramref name="row"/>, or null (and the shard out of the run) when they cannot be had.</summary>
    private async ValueTask<ReadOnlyMemory<byte>?> TryRowAsync(ShardReader reader, int row, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await reader.RowAsync(row, cancellationToken);
            if (IsIntact(reader.Shard, row, bytes.Span))
            {
                return bytes;
            }

            var location = reader.Location!;
            await FailAsync(reader, _chunk.Corrupt(location, $"shard {reader.Shard} does not match its hash at row {row}"));
        }
        catch (PoolException e) when (ChunkSource.IsRecoverable(e))
        {
            await FailAsync(reader, e);
        }

        return null;
    }

    private bool IsIntact(int shard, int row, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0)
        {
            return true;
        }

        if (shard < _geometry.DataShards)
        {
            return _chunk.Verify((row * _geometry.DataShards) + shard, bytes);
        }

        // A parity shard written without digests can only be checked through the blocks it helps rebuild.
        return _parityDigests[shard - _geometry.DataShards] is not { } digests || BlockDigest.Matches(bytes, digests, row);
    }

    private async ValueTask FailAsync(ShardReader reader, PoolException e)
    {
        await reader.FailAsync();
        _chunk.ReportDamage(reader.Location, e);
    }

    /// <summary>Rebuilds the data blocks of <paramref name="row"/> from the first k shards that read back intact.</summary>
    private async ValueTask RebuildRowAsync(int row, CancellationToken cancellationToken)
    {
        var k = _geometry.DataShards;
        var rowLength = _geometry.RowLength(row);
        var present = new bool[_shards.Length];
        var good = 0;
        for (var shard = 0; shard < _shards.Length && good < k; shard++)
        {
            var reader = _shards[shard];
            if (_geometry.ShardBlockLength(shard, row) == 0)
            {
                // Past the chunk's end: zeros by definition, nothing to read.
                reader.Buffer.AsSpan(0, rowLength).Clear();
                reader.Rebuilt(row);
                present[shard] = true;
                good++;
                continue;
            }

            if (reader.Bad && reader.BufferedRow != row)
            {
                continue;
            }

            if (await TryRowAsync(reader, row, cancellationToken) is { } bytes)
            {
                reader.Buffer.AsSpan(bytes.Length, rowLength - bytes.Length).Clear();
                present[shard] = true;
                good++;
            }
        }

        if (good < k)
        {
            var lost = _shards.Length - good;
            throw new PoolException(PoolErrorKind.Integrity,
                $"Chunk {_chunk.Index} of {_chunk.Manifest.Path} cannot be read: {lost} of its {_shards.Length} shards are missing or damaged and a {k}+{_geometry.ParityShards} stripe survives at most {_geometry.ParityShards}. " +
                "Bring the missing remotes back online (then 'rclonepool rebuild'), or restore the file from another copy.");
        }

        var buffers = new Memory<byte>[_shards.Length];
        for (var shard = 0; shard < _shards.Length; shard++)
        {
            buffers[shard] = _shards[shard].Buffer.AsMemory(0, rowLength);
        }

        SharedCodecs.For(k, _geometry.ParityShards).ReconstructData(buffers, present);
        for (var shard = 0; shard < k; shard++)
        {
            if (!present[shard])
            {
                _shards[shard].Rebuilt(row);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var shard in _shards)
        {
            await shard.DisposeAsync();
        }
    }
}
