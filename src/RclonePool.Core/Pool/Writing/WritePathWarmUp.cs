using System.Buffers;
using System.Security.Cryptography;
using RclonePool.Core.Chunking;
using RclonePool.Core.Compression;
using RclonePool.Core.Config;
using RclonePool.Core.Integrity;

namespace RclonePool.Core.Pool.Writing;

/// <summary>
/// Runs the write path's compression, hashing and cutting once over a made-up block, so that a command which is about
/// to upload can do it on the core that is idle while the pool opens (docs/efficiency.md, effic9). A fresh process pays
/// for the first use of each: the runtime loads and prepares the types, and a new zstd context allocates and clears its
/// match tables on its first frame. The contexts made here are given back to <see cref="ZstdCompressors"/>, where the
/// first chunks take them. Nothing is read or written anywhere; the result is thrown away.
/// </summary>
public static class WritePathWarmUp
{
    /// <summary>Runs it for the pool <paramref name="config"/> describes, with one zstd context per core that will compress (at most <paramref name="contexts"/>).</summary>
    public static void Run(PoolConfig config, int contexts)
    {
        ArgumentNullException.ThrowIfNull(config);
        var chunking = ChunkingPolicy.For(config);
        var blockSize = chunking.BlockSize;
        var block = ArrayPool<byte>.Shared.Rent(blockSize);
        try
        {
            var plain = block.AsSpan(0, blockSize);
            Fill(plain);
            if (config.EnableCompression)
            {
                Compress(config.CompressionLevel, plain, Math.Max(1, contexts));
            }

            using (var hasher = new ChunkHasher(blockSize))
            {
                hasher.Append(plain);
                hasher.Complete();
            }

            if (config.EnableDeduplication)
            {
                using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, plain[..32]);
                hmac.AppendData(plain);
                hmac.GetHashAndReset();
                using var blocks = new ChunkHasher(blockSize, wholeChunk: false);
                blocks.Append(plain);
                blocks.CompleteBlocks();
            }

            if (chunking.Cdc is { } sizes)
            {
                new GearCutter(sizes).Feed(plain);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block);
        }
    }

    private static void Compress(int level, ReadOnlySpan<byte> plain, int contexts)
    {
        var frame = ArrayPool<byte>.Shared.Rent(ZstdBlocks.Bound(plain.Length));
        var rented = new List<ZstdSharp.Compressor>(contexts);
        try
        {
            ZstdBlocks.LooksCompressible(plain);
            for (var i = 0; i < contexts; i++)
            {
                var compressor = ZstdCompressors.Rent(level);
                try
                {
                    ZstdBlocks.CompressOrRaw(compressor, plain, frame);
                }
                catch
                {
                    compressor.Dispose(); // no half frame may start a chunk's
                    throw;
                }

                rented.Add(compressor);
            }
        }
        finally
        {
            // Given back only once all are made, so that this loop makes new contexts instead of taking its own again.
            foreach (var compressor in rented)
            {
                ZstdCompressors.Return(level, compressor);
            }

            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    /// <summary>Text-like bytes: words from a small alphabet, so the block compresses as most content does.</summary>
    private static void Fill(Span<byte> block)
    {
        var state = 0x9E3779B9u;
        for (var i = 0; i < block.Length; i++)
        {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            block[i] = (state & 7) == 0 ? (byte)' ' : (byte)('a' + (state >> 8) % 16);
        }
    }
}
