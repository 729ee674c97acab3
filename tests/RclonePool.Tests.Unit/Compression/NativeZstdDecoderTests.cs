using RclonePool.Core.Compression;
using RclonePool.Core.Plugins;
using ZstdSharp;

namespace RclonePool.Tests.Unit.Compression;

/// <summary>Reads decode zstd blocks with the system's libzstd when it loads: the same bytes as ZstdSharp, and a bad frame is refused, not a crash.</summary>
public sealed class NativeZstdDecoderTests
{
    private const int Block = 256 * 1024;

    private static byte[] Frame(byte[] plain, int level)
    {
        using var compressor = new Compressor(level);
        return compressor.Wrap(plain).ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(9)]
    public void Native_decoding_gives_the_bytes_ZstdSharp_gives(int level)
    {
        Assert.SkipUnless(NativeZstdDecoder.IsAvailable, "libzstd.so.1 does not load here; reads decode with ZstdSharp.");
        using var native = NativeZstdDecoder.TryCreate()!;
        using var managed = new Decompressor();
        foreach (var plain in new[] { CompressibleData.Text(Block, level), CompressibleData.Text(Block - 4_097, level + 1), new byte[Block] })
        {
            var frame = Frame(plain, level);
            var fromNative = new byte[plain.Length];
            var fromManaged = new byte[plain.Length];
            Assert.True(native.TryDecode(frame, fromNative));
            Assert.True(ZstdBlocks.TryDecode(managed, frame, fromManaged));
            Assert.Equal(plain, fromNative);
            Assert.Equal(fromManaged, fromNative);
        }
    }

    [Fact]
    public void A_truncated_frame_a_wrong_length_and_garbage_are_refused()
    {
        Assert.SkipUnless(NativeZstdDecoder.IsAvailable, "libzstd.so.1 does not load here; reads decode with ZstdSharp.");
        using var native = NativeZstdDecoder.TryCreate()!;
        var plain = CompressibleData.Text(Block, 5);
        var frame = Frame(plain, 3);

        Assert.False(native.TryDecode(frame.AsSpan(0, frame.Length - 10), new byte[Block]));
        Assert.False(native.TryDecode(frame, new byte[Block + 1]));
        Assert.False(native.TryDecode(frame, new byte[Block - 1]));
        Assert.False(native.TryDecode(CompressibleData.Random(5_000, 6), new byte[Block]));
        var output = new byte[Block];
        Assert.True(native.TryDecode(frame, output));
        Assert.Equal(plain, output);
    }

    [Fact]
    public void The_block_decoder_restores_zstd_blocks_and_refuses_a_malformed_one()
    {
        using var decoder = new BlockDecoder();
        var chain = new BlockCodecChain { Zstd = true };
        var plain = CompressibleData.Text(Block, 8);
        var frame = Frame(plain, 3);
        var output = new byte[Block];

        Assert.True(decoder.TryDecode(chain, frame.ToArray(), 0, output, "block 0"));
        Assert.Equal(plain, output);
        Assert.False(decoder.TryDecode(chain, CompressibleData.Random(5_000, 9), 0, output, "block 1"));
        Assert.True(decoder.TryDecode(chain, frame.ToArray(), 0, output, "block 2"));
        Assert.Equal(plain, output);
    }
}
