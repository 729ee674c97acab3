using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;
using RclonePool.Core.Integrity;

namespace RclonePool.Tests.Unit.Integrity;

public sealed class ChunkHasherTests
{
    [Fact]
    public void Hashes_do_not_depend_on_how_the_bytes_are_sliced() =>
        Prop.ForAll(Gen.Choose(0, 40_000).ToArbitrary(), Gen.Choose(1, 5_000).ToArbitrary(), Gen.Choose(1, 9_000).ToArbitrary(), (length, blockSize, slice) =>
        {
            var data = new byte[length];
            new Random(length).NextBytes(data);
            using var whole = new ChunkHasher(blockSize);
            whole.Append(data);
            using var sliced = new ChunkHasher(blockSize);
            for (var i = 0; i < length; i += slice)
            {
                sliced.Append(data.AsSpan(i, Math.Min(slice, length - i)));
            }

            return whole.Complete() == sliced.Complete();
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Sha256_and_block_digests_match_independent_computation()
    {
        var data = new byte[10_000];
        new Random(7).NextBytes(data);
        using var hasher = new ChunkHasher(4096);
        hasher.Append(data);
        var (sha, blocks) = hasher.Complete();

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), sha);
        var digests = Convert.FromBase64String(blocks);
        Assert.Equal(3 * BlockDigest.Size, digests.Length);
        Assert.True(BlockDigest.Matches(data.AsSpan(0, 4096), digests, 0));
        Assert.True(BlockDigest.Matches(data.AsSpan(8192), digests, 2));
        Assert.False(BlockDigest.Matches(data.AsSpan(4096, 4096), digests, 0));
    }

    [Fact]
    public void A_hasher_without_the_sha256_gives_the_same_block_digests_and_no_sha256()
    {
        var data = new byte[10_000];
        new Random(11).NextBytes(data);
        using var full = new ChunkHasher(4096);
        full.Append(data);
        using var blocksOnly = new ChunkHasher(4096, wholeChunk: false);
        blocksOnly.Append(data.AsSpan(0, 5000));
        blocksOnly.Append(data.AsSpan(5000));

        Assert.Equal(full.Complete().BlockHashes, blocksOnly.CompleteBlocks());
        Assert.Equal(10_000, blocksOnly.BytesHashed);
        Assert.Throws<InvalidOperationException>(() => blocksOnly.Complete());
    }

    [Fact]
    public void A_flipped_bit_fails_its_block()
    {
        var data = new byte[8192];
        using var hasher = new ChunkHasher(4096);
        hasher.Append(data);
        var digests = Convert.FromBase64String(hasher.Complete().BlockHashes);
        data[5000] ^= 0x10;
        Assert.True(BlockDigest.Matches(data.AsSpan(0, 4096), digests, 0));
        Assert.False(BlockDigest.Matches(data.AsSpan(4096, 4096), digests, 1));
    }
}
