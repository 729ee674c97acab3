using RclonePool.Core.Errors;
using RclonePool.Core.Redundancy.Codec;

namespace RclonePool.Core.Redundancy;

/// <summary>
/// One row of a stripe at a time (<see cref="StripeGeometry"/>): reads the row's k data blocks from the chunk's plain
/// bytes, pads short or missing ones with zeros, and computes its m parity blocks. Holds k + m rented blocks; a block
/// handed over (<see cref="TakeBlock"/>) is replaced by a fresh one.
/// </summary>
internal sealed class StripeRow : IDisposable
{
    private readonly StripeGeometry _geometry;
    private readonly ReedSolomonCodec _codec;
    private readonly byte[][] _blocks;
    private readonly ReadOnlyMemory<byte>[] _data;
    private readonly Memory<byte>[] _parity;

    public StripeRow(StripeGeometry geometry, ReedSolomonCodec codec)
    {
        _geometry = geometry;
        _codec = codec;
        _blocks = new byte[geometry.TotalShards][];
        for (var i = 0; i < _blocks.Length; i++)
        {
            _blocks[i] = StripeBlocks.Pool.Rent(geometry.BlockSize);
        }

        _data = new ReadOnlyMemory<byte>[geometry.DataShards];
        _parity = new Memory<byte>[geometry.ParityShards];
    }

    /// <summary>The row last read.</summary>
    public int Row { get; private set; } = -1;

    /// <summary>Shard <paramref name="shard"/>'s bytes of the current row (data as read, parity once encoded).</summary>
    public ReadOnlyMemory<byte> Shard(int shard) => _blocks[shard].AsMemory(0, _geometry.ShardBlockLength(shard, Row));

    /// <summary>Reads row <paramref name="row"/>'s data blocks from <paramref name="source"/>, handing each to <paramref name="onBlock"/>.</summary>
    public async Task ReadAsync(Stream source, int row, Action<ReadOnlySpan<byte>>? onBlock, CancellationToken cancellationToken)
    {
        var rowLength = _geometry.RowLength(row);
        for (var i = 0; i < _geometry.DataShards; i++)
        {
            var length = _geometry.ShardBlockLength(i, row);
            if (length > 0)
            {
                var read = await source.ReadAtLeastAsync(_blocks[i].AsMemory(0, length), length, throwOnEndOfStream: false, cancellationToken);
                if (read != length)
                {
                    throw new PoolException(PoolErrorKind.Conflict, "The chunk's source ended before its length; it changed, or is not the chunk the manifest describes.");
                }

                onBlock?.Invoke(_blocks[i].AsSpan(0, length));
            }

            // A short or missing block of the last row counts as zeros in its parity.
            _blocks[i].AsSpan(length, rowLength - length).Clear();
        }

        Row = row;
    }

    /// <summary>
    /// Hands over shard <paramref name="shard"/>'s block of the current row (its bytes are <see cref="Shard"/>'s) to a
    /// caller that returns it to <see cref="StripeBlocks.Pool"/>; the row takes a fresh block in its place.
    /// </summary>
    public byte[] TakeBlock(int shard)
    {
        var block = _blocks[shard];
        _blocks[shard] = StripeBlocks.Pool.Rent(_geometry.BlockSize);
        return block;
    }

    /// <summary>Computes the current row's parity blocks.</summary>
    public void Encode()
    {
        var rowLength = _geometry.RowLength(Row);
        for (var i = 0; i < _data.Length; i++)
        {
            _data[i] = _blocks[i].AsMemory(0, rowLength);
        }

        for (var j = 0; j < _parity.Length; j++)
        {
            _parity[j] = _blocks[_geometry.DataShards + j].AsMemory(0, rowLength);
        }

        _codec.Encode(_data, _parity);
    }

    public void Dispose()
    {
        for (var i = 0; i < _blocks.Length; i++)
        {
            if (_blocks[i] is { Length: > 0 } block)
            {
                StripeBlocks.Pool.Return(block);
                _blocks[i] = [];
            }
        }
    }
}
