using System.Buffers;

namespace RclonePool.Core.Redundancy;

/// <summary>
/// The pool the blocks of stripes are rented from while they are encoded and handed to the shard uploads
/// (<see cref="StripeRow"/>, <see cref="ShardFeed"/>). A stripe in flight holds k + m blocks being encoded and up to
/// <see cref="ShardFeed"/>'s capacity per shard waiting, so a parity upload with several workers needs a hundred blocks or
/// more at once: more than <see cref="ArrayPool{T}.Shared"/> keeps of one size, which would drop the extra ones and
/// allocate (and page-fault) new ones for every row. Blocks past this pool's own bound are dropped to the garbage
/// collector, so what it keeps is bounded too.
/// </summary>
internal static class StripeBlocks
{
    /// <summary>The largest block kept (larger ones are allocated and dropped).</summary>
    private const int MaxBlockBytes = 1024 * 1024;

    /// <summary>Blocks of one size kept: the blocks of eight 4+2 stripes in flight with 256 KiB blocks is 8 × 24.</summary>
    private const int MaxBlocksPerSize = 192;

    public static ArrayPool<byte> Pool { get; } = ArrayPool<byte>.Create(MaxBlockBytes, MaxBlocksPerSize);
}
