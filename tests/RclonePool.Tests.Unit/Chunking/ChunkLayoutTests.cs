using FsCheck;
using FsCheck.Fluent;
using RclonePool.Core.Chunking;

namespace RclonePool.Tests.Unit.Chunking;

public sealed class ChunkLayoutTests
{
    [Theory]
    [InlineData(0, 10, 0)]
    [InlineData(1, 10, 1)]
    [InlineData(10, 10, 1)]
    [InlineData(11, 10, 2)]
    [InlineData(100, 10, 10)]
    public void Chunk_count_rounds_up(long size, long chunk, int expected) =>
        Assert.Equal(expected, ChunkLayout.ChunkCount(size, chunk));

    [Fact]
    public void Chunks_tile_the_file_exactly() =>
        Prop.ForAll(Gen.Choose(0, 5_000_000).ToArbitrary(), Gen.Choose(1, 300_000).ToArbitrary(), (size, chunkSize) =>
        {
            long next = 0;
            var count = ChunkLayout.ChunkCount(size, chunkSize);
            for (var i = 0; i < count; i++)
            {
                var (offset, length) = ChunkLayout.Chunk(size, chunkSize, i);
                if (offset != next || length <= 0 || length > chunkSize)
                {
                    return false;
                }

                next += length;
            }

            return next == size;
        }).QuickCheckThrowOnFailure();

    [Theory]
    [InlineData(100, 0, -1, 0, 100)]
    [InlineData(100, 90, 50, 90, 10)]
    [InlineData(100, 100, 5, 100, 0)]
    [InlineData(100, 150, 5, 100, 0)]
    [InlineData(100, 10, 0, 10, 0)]
    public void Clamp_limits_ranges_to_the_file(long size, long offset, long count, long start, long length) =>
        Assert.Equal((start, length), ChunkLayout.Clamp(size, offset, count));

    [Fact]
    public void Block_size_never_exceeds_the_chunk_size()
    {
        Assert.Equal(ChunkLayout.DefaultBlockSize, ChunkLayout.BlockSizeFor(100L << 20));
        Assert.Equal(4096, ChunkLayout.BlockSizeFor(4096));
    }
}
