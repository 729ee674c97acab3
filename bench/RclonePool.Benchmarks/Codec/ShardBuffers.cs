using System.Buffers;
using System.Runtime.InteropServices;

namespace RclonePool.Benchmarks.Codec;

/// <summary>
/// The shards of one benchmark stripe in one 4 KiB-aligned native block, shard i at i * (size + 64) so the
/// streams fall on different cache sets, filled with the same pseudo-random bytes as the ISA-L harness
/// (a 64-bit LCG seeded with the shard number + 1, top byte of each step).
/// </summary>
internal sealed unsafe class ShardBuffers : IDisposable
{
    private readonly byte* _block;
    private readonly NativeShard[] _owners;

    public ShardBuffers(int count, int shardBytes)
    {
        nint stride = shardBytes + 64;
        _block = (byte*)NativeMemory.AlignedAlloc((nuint)(stride * count), 4096);
        _owners = new NativeShard[count];
        Shards = new Memory<byte>[count];
        for (int i = 0; i < count; i++)
        {
            _owners[i] = new NativeShard(_block + (i * stride), shardBytes);
            Shards[i] = _owners[i].Memory;
            Fill(Shards[i].Span, (ulong)i + 1);
        }
    }

    public Memory<byte>[] Shards { get; }

    /// <summary>FNV-1a over the parity shards, to compare with the ISA-L harness's parity.</summary>
    public ulong ParityHash(int dataShards)
    {
        ulong hash = 14695981039346656037UL;
        for (int i = dataShards; i < Shards.Length; i++)
        {
            foreach (byte b in Shards[i].Span)
            {
                hash = (hash ^ b) * 1099511628211UL;
            }
        }

        return hash;
    }

    public void Dispose() => NativeMemory.AlignedFree(_block);

    private static void Fill(Span<byte> shard, ulong seed)
    {
        ulong x = seed;
        for (int i = 0; i < shard.Length; i++)
        {
            x = (x * 6364136223846793005UL) + 1442695040888963407UL;
            shard[i] = (byte)(x >> 56);
        }
    }

    private sealed class NativeShard(byte* pointer, int length) : MemoryManager<byte>
    {
        public override Span<byte> GetSpan() => new(pointer, length);

        public override MemoryHandle Pin(int elementIndex = 0) => new(pointer + elementIndex);

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }
    }
}
