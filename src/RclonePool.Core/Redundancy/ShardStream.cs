using RclonePool.Core.IO;
using RclonePool.Core.Redundancy.Codec;

namespace RclonePool.Core.Redundancy;

/// <summary>
/// One shard of a stripe, produced from the chunk's plain bytes (a local copy, or a verified read of the pool):
/// reads the chunk a row at a time and hands out this shard's part of each row, encoding parity when the shard is a
/// parity shard. Used to write a replacement shard (repair, rebuild). Memory: k + m blocks.
/// </summary>
public sealed class ShardStream : ReadOnlyStream
{
    private readonly Stream _chunk;
    private readonly StripeGeometry _geometry;
    private readonly int _shard;
    private readonly StripeRow _stripe;
    private int _row;
    private int _outStart;
    private int _outEnd;
    private long _position;

    public ShardStream(Stream chunk, StripeGeometry geometry, ReedSolomonCodec codec, int shard)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(shard, geometry.TotalShards);
        _chunk = chunk;
        _geometry = geometry;
        _shard = shard;
        _stripe = new StripeRow(geometry, codec);
    }

    protected override long BytesHandedOut => _position;

    public override long Length => _geometry.ShardLength(_shard);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_outStart == _outEnd)
        {
            if (_row >= _geometry.RowCount)
            {
                return 0;
            }

            await NextRowAsync(cancellationToken);
        }

        var take = Math.Min(buffer.Length, _outEnd - _outStart);
        _stripe.Shard(_shard).Slice(_outStart, take).CopyTo(buffer);
        _outStart += take;
        _position += take;
        return take;
    }

    private async Task NextRowAsync(CancellationToken cancellationToken)
    {
        await _stripe.ReadAsync(_chunk, _row, null, cancellationToken);
        if (_shard >= _geometry.DataShards)
        {
            _stripe.Encode();
        }

        _outStart = 0;
        _outEnd = _geometry.ShardBlockLength(_shard, _row);
        _row++;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stripe.Dispose();
            _chunk.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _chunk.DisposeAsync();
        await base.DisposeAsync();
    }
}
