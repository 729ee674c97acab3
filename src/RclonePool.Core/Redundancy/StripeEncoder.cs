using RclonePool.Core.Integrity;
using RclonePool.Core.Redundancy.Codec;

namespace RclonePool.Core.Redundancy;

/// <summary>
/// Streams one chunk into its k data and m parity shards row by row (<see cref="StripeGeometry"/>): reads k blocks
/// of the source, hashes them, computes the row's m parity blocks, and hands every block over to its shard's feed
/// (no copy: the feed owns the block from then on). Memory is (k + m) blocks plus what the feeds hold, whatever the
/// chunk's length.
/// </summary>
internal static class StripeEncoder
{
    /// <summary>
    /// Encodes <paramref name="source"/> into <paramref name="shards"/> (null for a shard not to be written: a data shard
    /// with no bytes, or every shard when only the digests are wanted) and returns the digests of each parity shard's
    /// blocks (base64, one per row). Throws <see cref="OperationCanceledException"/> when a shard's upload stopped
    /// reading (it failed: the caller reports why).
    /// </summary>
    public static async Task<string[]> EncodeAsync(Stream source, StripeGeometry geometry, ReedSolomonCodec codec, IReadOnlyList<ShardFeed?> shards, ChunkHasher hasher, Action<int>? progress, CancellationToken cancellationToken)
    {
        var m = geometry.ParityShards;
        var parityDigests = new byte[m][];
        for (var j = 0; j < m; j++)
        {
            parityDigests[j] = new byte[geometry.RowCount * BlockDigest.Size];
        }

        using var stripe = new StripeRow(geometry, codec);
        for (var row = 0; row < geometry.RowCount; row++)
        {
            await stripe.ReadAsync(source, row, block =>
            {
                hasher.Append(block);
                progress?.Invoke(block.Length);
            }, cancellationToken);
            stripe.Encode();
            for (var j = 0; j < m; j++)
            {
                BlockDigest.Compute(stripe.Shard(geometry.DataShards + j).Span, parityDigests[j].AsSpan(row * BlockDigest.Size, BlockDigest.Size));
            }

            for (var shard = 0; shard < geometry.TotalShards; shard++)
            {
                var length = geometry.ShardBlockLength(shard, row);
                if (length > 0 && shards[shard] is { } feed)
                {
                    await feed.AddAsync(stripe.TakeBlock(shard), length, cancellationToken);
                }
            }
        }

        return [.. parityDigests.Select(Convert.ToBase64String)];
    }
}
