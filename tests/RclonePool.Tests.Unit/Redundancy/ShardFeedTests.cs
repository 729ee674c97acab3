using RclonePool.Core.Redundancy;

namespace RclonePool.Tests.Unit.Redundancy;

/// <summary>The hand-over between the stripe encoder and a shard's upload: bytes in order, bounded, failures passed on.</summary>
public sealed class ShardFeedTests
{
    private const int BlockSize = 64 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] Block(byte[] source, int offset, int length)
    {
        var block = StripeBlocks.Pool.Rent(BlockSize);
        source.AsSpan(offset, length).CopyTo(block);
        return block;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1000)]
    [InlineData(BlockSize)]
    [InlineData(1024 * 1024)]
    public async Task The_reader_gets_every_byte_handed_over_in_order_whatever_its_buffer(int bufferSize)
    {
        var source = new byte[(5 * BlockSize) + 12_345];
        new Random(bufferSize).NextBytes(source);
        await using var feed = new ShardFeed(capacity: 2);
        var writer = Task.Run(async () =>
        {
            for (var offset = 0; offset < source.Length; offset += BlockSize)
            {
                var length = Math.Min(BlockSize, source.Length - offset);
                await feed.AddAsync(Block(source, offset, length), length, Ct);
            }

            feed.Complete();
        }, Ct);

        using var read = new MemoryStream();
        var buffer = new byte[bufferSize];
        int n;
        while ((n = await feed.ReadAsync(buffer, Ct)) > 0)
        {
            read.Write(buffer, 0, n);
        }

        await writer;
        Assert.Equal(source, read.ToArray());
        Assert.Equal(source.Length, feed.Position);
    }

    [Fact]
    public async Task Lent_blocks_are_the_blocks_handed_over_in_order_and_go_back_to_the_pool_one_by_one()
    {
        var source = new byte[(3 * BlockSize) + 777];
        new Random(7).NextBytes(source);
        await using var feed = new ShardFeed(capacity: 2);
        var handedOver = new List<byte[]>();
        var writer = Task.Run(async () =>
        {
            for (var offset = 0; offset < source.Length; offset += BlockSize)
            {
                var length = Math.Min(BlockSize, source.Length - offset);
                var block = Block(source, offset, length);
                lock (handedOver)
                {
                    handedOver.Add(block);
                }

                await feed.AddAsync(block, length, Ct);
            }

            feed.Complete();
        }, Ct);

        Assert.True(((Core.IO.IBlockLender)feed).CanLend);
        using var read = new MemoryStream();
        var lent = 0;
        while (await feed.BorrowNextAsync(Ct) is { IsEmpty: false } block)
        {
            Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(block, out var segment));
            lock (handedOver)
            {
                Assert.Same(handedOver[lent], segment.Array);
            }

            read.Write(block.Span);
            lent++;
        }

        await writer;
        Assert.Equal(4, lent);
        Assert.Equal(source, read.ToArray());
        Assert.Equal(source.Length, feed.Position);
    }

    [Fact]
    public async Task A_full_feed_makes_the_encoder_wait_until_the_upload_reads()
    {
        var source = new byte[3 * BlockSize];
        await using var feed = new ShardFeed(capacity: 1);
        await feed.AddAsync(Block(source, 0, BlockSize), BlockSize, Ct);

        var second = feed.AddAsync(Block(source, BlockSize, BlockSize), BlockSize, Ct).AsTask();
        Assert.False(second.IsCompleted);

        // Reading the first block makes room for the second.
        Assert.Equal(BlockSize, await feed.ReadAsync(new byte[BlockSize], Ct));
        await second.WaitAsync(TimeSpan.FromSeconds(30), Ct);
    }

    [Fact]
    public async Task A_failed_encoding_reaches_the_upload_after_the_bytes_before_it()
    {
        var source = new byte[BlockSize];
        await using var feed = new ShardFeed(capacity: 2);
        await feed.AddAsync(Block(source, 0, 1000), 1000, Ct);
        feed.Complete(new InvalidDataException("the source changed"));

        Assert.Equal(1000, await feed.ReadAsync(new byte[BlockSize], Ct));
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => feed.ReadAsync(new byte[BlockSize], Ct).AsTask());
        Assert.Equal("the source changed", error.Message);
    }

    [Fact]
    public async Task An_upload_that_stopped_reading_stops_the_encoder()
    {
        var source = new byte[BlockSize];
        var feed = new ShardFeed(capacity: 1);
        await feed.AddAsync(Block(source, 0, BlockSize), BlockSize, Ct);
        var waiting = feed.AddAsync(Block(source, 0, BlockSize), BlockSize, Ct).AsTask();

        await feed.DisposeAsync(); // the upload failed and let go of its body

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await feed.AddAsync(Block(source, 0, 10), 10, Ct));
    }
}
