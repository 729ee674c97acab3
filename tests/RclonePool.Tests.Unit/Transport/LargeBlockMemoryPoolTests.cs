using RclonePool.Server.Transport;

namespace RclonePool.Tests.Unit.Transport;

public sealed class LargeBlockMemoryPoolTests
{
    [Fact]
    public void Every_rent_gets_a_whole_block_whatever_it_asks_for()
    {
        using var pool = new LargeBlockMemoryPool();

        using var small = pool.Rent(1);
        using var any = pool.Rent();
        using var largest = pool.Rent(pool.MaxBufferSize);

        Assert.Equal(LargeBlockMemoryPool.BlockSize, pool.MaxBufferSize);
        Assert.All(new[] { small, any, largest }, b => Assert.Equal(LargeBlockMemoryPool.BlockSize, b.Memory.Length));
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(pool.MaxBufferSize + 1));
    }

    [Fact]
    public void A_returned_block_is_reused_and_a_second_dispose_does_not_return_it_twice()
    {
        using var pool = new LargeBlockMemoryPool();
        var first = pool.Rent(4096);
        first.Memory.Span[0] = 42;
        first.Dispose();
        first.Dispose();

        using var again = pool.Rent(4096);
        using var other = pool.Rent(4096);

        Assert.Same(first, again);
        Assert.NotSame(again, other);
        Assert.Equal(42, again.Memory.Span[0]);
    }

    [Fact]
    public void A_block_used_after_it_went_back_is_refused()
    {
        using var pool = new LargeBlockMemoryPool();
        var block = pool.Rent();
        block.Dispose();

        Assert.Throws<ObjectDisposedException>(() => block.Memory);
    }

    [Fact]
    public void At_most_the_retained_number_of_free_blocks_is_kept()
    {
        using var pool = new LargeBlockMemoryPool();
        var blocks = Enumerable.Range(0, LargeBlockMemoryPool.RetainedBlocks + 8).Select(_ => pool.Rent()).ToList();
        blocks.ForEach(b => b.Dispose());

        var reused = Enumerable.Range(0, LargeBlockMemoryPool.RetainedBlocks + 8).Select(_ => pool.Rent()).ToList();

        Assert.Equal(LargeBlockMemoryPool.RetainedBlocks, reused.Count(blocks.Contains));
        reused.ForEach(b => b.Dispose());
    }
}
