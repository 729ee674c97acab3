using RclonePool.Core.Compression;
using ZstdSharp;

namespace RclonePool.Tests.Unit.Compression;

/// <summary>
/// Reused zstd contexts (<see cref="ZstdCompressors"/>) make the frames a new context makes: repair and rebuild write a
/// compressed chunk again from its plain bytes and refuse a block whose stored length differs.
/// </summary>
public sealed class ZstdCompressorsTests
{
    private const int KiB = 1024;

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(9)]
    public void A_reused_context_makes_the_frames_of_a_new_one(int level)
    {
        byte[][] blocks =
        [
            CompressibleData.Text(256 * KiB, 1),
            CompressibleData.Random(256 * KiB, 2),
            CompressibleData.Text(3 * KiB, 3),
            [.. CompressibleData.Random(100 * KiB, 4), .. CompressibleData.Text(156 * KiB, 5)],
            CompressibleData.Text(256 * KiB, 1),
        ];

        // Twice round: the second time every block meets a context that compressed the others before.
        for (var round = 0; round < 2; round++)
        {
            foreach (var block in blocks)
            {
                var reused = ZstdCompressors.Rent(level);
                try
                {
                    Assert.Equal(Frame(new Compressor(level), block, dispose: true), Frame(reused, block, dispose: false));
                }
                finally
                {
                    ZstdCompressors.Return(level, reused);
                }
            }
        }
    }

    [Fact]
    public void The_probe_and_the_first_blocks_own_frame_agree_on_what_shrinks()
    {
        Assert.True(ZstdBlocks.LooksCompressible(CompressibleData.Text(256 * KiB, 6)));
        Assert.False(ZstdBlocks.LooksCompressible(CompressibleData.Random(256 * KiB, 7)));
        Assert.False(ZstdBlocks.Shrinks(256 * KiB, 0));
        Assert.False(ZstdBlocks.Shrinks(100_000, 99_000));
        Assert.True(ZstdBlocks.Shrinks(100_000, 90_000));
    }

    private static byte[] Frame(Compressor compressor, byte[] block, bool dispose)
    {
        try
        {
            var scratch = new byte[ZstdBlocks.Bound(block.Length)];
            var written = compressor.Wrap(block, scratch);
            return scratch.AsSpan(0, written).ToArray();
        }
        finally
        {
            if (dispose)
            {
                compressor.Dispose();
            }
        }
    }
}
