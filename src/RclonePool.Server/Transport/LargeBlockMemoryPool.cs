using System.Buffers;
using System.Collections.Concurrent;

namespace RclonePool.Server.Transport;

/// <summary>
/// Kestrel's connection buffers in blocks of <see cref="BlockSize"/> instead of its default 4 KiB (docs/benchmarks.md,
/// issue 20). With 4 KiB blocks every socket receive took at most 4 KiB: a 1 GiB PUT made about 300,000 receive calls,
/// each waking the request's reader (two futex calls per receive), and a GET's 256 KiB writes came from outside the
/// pool. Blocks are pinned arrays (the sockets use them without pinning each call); at most
/// <see cref="RetainedBlocks"/> free blocks are kept, the rest are left to the garbage collector.
/// </summary>
internal sealed class LargeBlockMemoryPool : MemoryPool<byte>
{
    /// <summary>One hash block of the read path (a GET writes whole blocks into the response pipe) and a good socket read.</summary>
    public const int BlockSize = 256 * 1024;

    /// <summary>Free blocks kept for reuse (16 MiB); a burst beyond it allocates and is collected later.</summary>
    public const int RetainedBlocks = 64;

    private readonly ConcurrentQueue<Block> _free = new();
    private int _freeCount;
    private bool _disposed;

    public override int MaxBufferSize => BlockSize;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        if (_free.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _freeCount);
            block.Lease();
            return block;
        }

        return new Block(this);
    }

    private void Return(Block block)
    {
        if (Volatile.Read(ref _disposed) || Interlocked.Increment(ref _freeCount) > RetainedBlocks)
        {
            Interlocked.Decrement(ref _freeCount);
            return;
        }

        _free.Enqueue(block);
    }

    protected override void Dispose(bool disposing)
    {
        Volatile.Write(ref _disposed, true);
        while (_free.TryDequeue(out _))
        {
        }
    }

    private sealed class Block(LargeBlockMemoryPool pool) : IMemoryOwner<byte>
    {
        private readonly byte[] _array = GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true);
        private int _rented = 1;

        public Memory<byte> Memory => Volatile.Read(ref _rented) == 1
            ? _array
            : throw new ObjectDisposedException(nameof(LargeBlockMemoryPool), "A block was used after it went back to the pool.");

        public void Lease() => Volatile.Write(ref _rented, 1);

        public void Dispose()
        {
            // Kestrel gives a block back once; a second Dispose must not put it in the pool twice.
            if (Interlocked.Exchange(ref _rented, 0) == 1)
            {
                pool.Return(this);
            }
        }
    }
}
