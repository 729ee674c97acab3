using System.Buffers;
using System.IO.Pipelines;
using RclonePool.Core.Errors;
using RclonePool.Core.Integrity;
using RclonePool.Core.Redundancy.Codec;

namespace RclonePool.Core.Redundancy;

/// <summary>
/// Streams one chunk into its k data and m parity shards row by row (<see cref="StripeGeometry"/>): reads k blocks
/// of the source, hashes them, computes the row's m parity blocks, and writes every block to its shard's pipe.
/// Memory is (k + m) blocks plus what the pipes hold, whatever the chunk's length.
/// </summary>
internal static class StripeEncoder
{
    /// <summary>
    /// Encodes <paramref name="source"/> into <paramref name="shards"/> (null for a data shard with no bytes) and
    /// returns the digests of each parity shard's blocks (base64, one per row).
    /// </summary>
    public static async Task<string[]> EncodeAsync(Stream source, StripeGeometry geometry, ReedSolomonCodec codec, IReadOnlyList<PipeWriter?> shards, ChunkHasher hasher, Action<int>? progress, CancellationToken cancellationToken)
    {
        var k = geometry.DataShards;
        var m = geometry.ParityShards;
        var buffers = new byte[geometry.TotalShards][];
        var parityDigests = new byte[m][];
        for (var i = 0; i < buffers.Length; i++)
        {
            buffers[i] = ArrayPool<byte>.Shared.Rent(geometry.BlockSize);
        }

        for (var j = 0; j < m; j++)
        {
            parityDigests[j] = new byte[geometry.RowCount * BlockDigest.Size];
        }

        var data = new ReadOnlyMemory<byte>[k];
        var parity = new Memory<byte>[m];
        try
        {
            for (var row = 0; row < geometry.RowCount; row++)
            {
                var rowLength = geometry.RowLength(row);
                for (var i = 0; i < k; i++)
                {
                    var length = geometry.ShardBlockLength(i, row);
                    if (length > 0)
                    {
                        await ReadBlockAsync(source, buffers[i].AsMemory(0, length), cancellationToken);
                        hasher.Append(buffers[i].AsSpan(0, length));
                        progress?.Invoke(length);
                    }

                    // A short or missing block of the last row counts as zeros in its parity.
                    buffers[i].AsSpan(length, rowLength - length).Clear();
                    data[i] = buffers[i].AsMemory(0, rowLength);
                }

                for (var j = 0; j < m; j++)
                {
                    parity[j] = buffers[k + j].AsMemory(0, rowLength);
                }

                codec.Encode(data, parity);
                for (var j = 0; j < m; j++)
                {
                    BlockDigest.Compute(parity[j].Span, parityDigests[j].AsSpan(row * BlockDigest.Size, BlockDigest.Size));
                }

                for (var shard = 0; shard < geometry.TotalShards; shard++)
                {
                    var length = geometry.ShardBlockLength(shard, row);
                    if (length > 0)
                    {
                        var written = await shards[shard]!.WriteAsync(buffers[shard].AsMemory(0, length), cancellationToken);
                        if (written.IsCompleted || written.IsCanceled)
                        {
                            // The shard's upload ended early (it failed): the caller reports why.
                            throw new OperationCanceledException("A shard upload stopped reading.");
                        }
                    }
                }
            }

            return [.. parityDigests.Select(Convert.ToBase64String)];
        }
        finally
        {
            foreach (var buffer in buffers)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static async Task ReadBlockAsync(Stream source, Memory<byte> block, CancellationToken cancellationToken)
    {
        var read = await source.ReadAtLeastAsync(block, block.Length, throwOnEndOfStream: false, cancellationToken);
        if (read != block.Length)
        {
            throw new PoolException(PoolErrorKind.Conflict, "The source ended before the announced length; it changed during the upload.");
        }
    }
}
