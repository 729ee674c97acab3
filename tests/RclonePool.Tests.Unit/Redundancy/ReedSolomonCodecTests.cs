using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RclonePool.Core.Errors;
using RclonePool.Core.Redundancy.Codec;

namespace RclonePool.Tests.Unit.Redundancy;

public sealed class ReedSolomonCodecTests
{
    private static readonly Gen<StripeCase> SmallStripes =
        from k in Gen.Choose(1, 6)
        from m in Gen.Choose(1, 4)
        from length in Gen.Choose(1, 300)
        from seed in Gen.Choose(0, int.MaxValue)
        select new StripeCase(k, m, length, seed);

    private static readonly Gen<StripeCase> LargeStripes =
        from k in Gen.Frequency((4, Gen.Choose(1, 32)), (1, Gen.Choose(33, 160)))
        from m in Gen.Choose(1, Math.Min(256 - k, 24))
        from length in Gen.OneOf(
            Gen.Choose(1, 257),
            Gen.Choose(258, 5000),
            Gen.Elements(15, 16, 17, 31, 33, 63, 64, 65, 127, 129, 4095, 4097))
        from seed in Gen.Choose(0, int.MaxValue)
        select new StripeCase(k, m, length, seed);

    [Property(MaxTest = 30)]
    public Property Every_pattern_of_up_to_m_lost_shards_rebuilds_small_stripes_bit_exact() =>
        Prop.ForAll(SmallStripes.ToArbitrary(), s =>
        {
            var codec = new ReedSolomonCodec(s.K, s.M);
            var stripe = RandomStripe.Encode(codec, s.Length, s.Seed);
            foreach (int[] lost in RandomStripe.ErasurePatterns(s.K + s.M, s.M))
            {
                (Memory<byte>[] shards, bool[] present) = stripe.Damage(lost, s.Seed);
                codec.Reconstruct(shards, present);
                Assert.True(stripe.FirstDifference(shards, s.K + s.M) < 0, $"{s} lost [{string.Join(",", lost)}]");
            }
        });

    [Property(MaxTest = 40)]
    public Property Random_patterns_of_up_to_m_lost_shards_rebuild_large_stripes_bit_exact() =>
        Prop.ForAll(LargeStripes.ToArbitrary(), s =>
        {
            var codec = new ReedSolomonCodec(s.K, s.M);
            var stripe = RandomStripe.Encode(codec, s.Length, s.Seed);
            var random = new Random(s.Seed);
            int[] lost = [.. Enumerable.Range(0, s.K + s.M).OrderBy(_ => random.Next()).Take(random.Next(1, s.M + 1))];
            (Memory<byte>[] shards, bool[] present) = stripe.Damage(lost, s.Seed);
            codec.Reconstruct(shards, present);
            Assert.True(stripe.FirstDifference(shards, s.K + s.M) < 0, $"{s} lost [{string.Join(",", lost)}]");
        });

    [Theory]
    [InlineData(1, 255)]
    [InlineData(255, 1)]
    [InlineData(128, 128)]
    [InlineData(200, 56)]
    public void The_widest_stripes_rebuild_from_any_k_shards(int k, int m)
    {
        var codec = new ReedSolomonCodec(k, m);
        var stripe = RandomStripe.Encode(codec, 67, k * m);
        int[] lost = [.. Enumerable.Range(0, k + m).Where(i => i % 2 == 0).Take(m)];
        (Memory<byte>[] shards, bool[] present) = stripe.Damage(lost, 1);
        codec.Reconstruct(shards, present);
        Assert.Equal(-1, stripe.FirstDifference(shards, k + m));
    }

    [Fact]
    public void Parity_is_the_cauchy_matrix_times_the_data()
    {
        var codec = new ReedSolomonCodec(5, 3);
        var stripe = RandomStripe.Encode(codec, 100, 7);
        for (int i = 0; i < 3; i++)
        {
            for (int p = 0; p < 100; p++)
            {
                byte expected = 0;
                for (int j = 0; j < 5; j++)
                {
                    expected ^= GaloisField.Multiply(GaloisField.Inverse((byte)((5 + i) ^ j)), stripe.Shards[j][p]);
                }

                Assert.Equal(expected, stripe.Shards[5 + i][p]);
            }
        }
    }

    [Fact]
    public void Reconstruct_data_rebuilds_data_and_leaves_missing_parity_alone()
    {
        var codec = new ReedSolomonCodec(4, 2);
        var stripe = RandomStripe.Encode(codec, 1000, 3);
        (Memory<byte>[] shards, bool[] present) = stripe.Damage([1, 5], 4);
        byte[] garbage = shards[5].ToArray();
        codec.ReconstructData(shards, present);
        Assert.Equal(-1, stripe.FirstDifference(shards, 4));
        Assert.Equal(garbage, shards[5].ToArray());
    }

    [Fact]
    public void Nothing_missing_changes_nothing_and_empty_shards_are_fine()
    {
        var codec = new ReedSolomonCodec(3, 2);
        var stripe = RandomStripe.Encode(codec, 10, 5);
        (Memory<byte>[] shards, bool[] present) = stripe.Damage([], 0);
        codec.Reconstruct(shards, present);
        Assert.Equal(-1, stripe.FirstDifference(shards, 5));

        var empty = RandomStripe.Encode(codec, 0, 5);
        (shards, present) = empty.Damage([0, 4], 0);
        codec.Reconstruct(shards, present);
    }

    [Fact]
    public void More_lost_shards_than_parity_is_a_clear_integrity_error()
    {
        var codec = new ReedSolomonCodec(4, 2);
        var stripe = RandomStripe.Encode(codec, 64, 1);
        (Memory<byte>[] shards, bool[] present) = stripe.Damage([0, 2, 5], 2);
        var e = Assert.Throws<PoolException>(() => codec.Reconstruct(shards, present));
        Assert.Equal(PoolErrorKind.Integrity, e.Kind);
        Assert.Contains("3 of 6 shards are missing and at most 2 may be", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    [InlineData(-1, 2)]
    [InlineData(200, 57)]
    public void Impossible_shapes_are_refused(int k, int m) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReedSolomonCodec(k, m));

    [Fact]
    public void Wrong_shard_counts_and_unequal_lengths_are_refused()
    {
        var codec = new ReedSolomonCodec(3, 2);
        byte[][] data = [new byte[8], new byte[8], new byte[8]];
        byte[][] parity = [new byte[8], new byte[8]];

        var e = Assert.Throws<ArgumentException>(() => codec.Encode(RandomStripe.AsReadOnly(data[..2]), RandomStripe.AsMemory(parity)));
        Assert.Contains("expects 3 data shards, got 2", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => codec.Encode(RandomStripe.AsReadOnly(data), RandomStripe.AsMemory(parity[..1])));

        data[1] = new byte[7];
        e = Assert.Throws<ArgumentException>(() => codec.Encode(RandomStripe.AsReadOnly(data), RandomStripe.AsMemory(parity)));
        Assert.Contains("same length", e.Message, StringComparison.Ordinal);

        Memory<byte>[] shards = [new byte[8], new byte[8], new byte[8], new byte[8], new byte[9]];
        Assert.Throws<ArgumentException>(() => codec.Reconstruct(shards, [true, false, true, true, true]));
        Assert.Throws<ArgumentException>(() => codec.Reconstruct(shards.AsSpan(0, 4), [true, false, true, true]));
        Assert.Throws<ArgumentException>(() => codec.Reconstruct(shards, [true, true]));
    }

    [Fact]
    public void One_codec_rebuilds_many_patterns_from_many_threads()
    {
        var codec = new ReedSolomonCodec(6, 3);
        var stripe = RandomStripe.Encode(codec, 3000, 11);
        int[][] patterns = [.. RandomStripe.ErasurePatterns(9, 3)];
        Parallel.For(0, patterns.Length * 4, i =>
        {
            (Memory<byte>[] shards, bool[] present) = stripe.Damage(patterns[i % patterns.Length], i);
            codec.Reconstruct(shards, present);
            Assert.Equal(-1, stripe.FirstDifference(shards, 9));
        });
    }

    [Fact]
    public void Encode_and_reconstruct_allocate_nothing_once_the_pattern_is_cached()
    {
        var codec = new ReedSolomonCodec(10, 4);
        var stripe = RandomStripe.Encode(codec, 70_000, 9);
        ReadOnlyMemory<byte>[] data = RandomStripe.AsReadOnly(stripe.Shards[..10]);
        Memory<byte>[] parity = RandomStripe.AsMemory(stripe.Shards[10..]);
        (Memory<byte>[] shards, bool[] present) = stripe.Damage([0, 3, 11, 12], 1);
        // Warm up past tiered compilation (the runtime may allocate while it re-JITs hot methods), then take the
        // best of a few measurements: the codec itself must allocate nothing.
        for (int i = 0; i < 200; i++)
        {
            codec.Encode(data, parity);
            codec.Reconstruct(shards, present);
        }

        long best = long.MaxValue;
        for (int attempt = 0; attempt < 5 && best != 0; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10; i++)
            {
                codec.Encode(data, parity);
                codec.Reconstruct(shards, present);
            }

            best = Math.Min(best, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, best);
    }

    internal sealed record StripeCase(int K, int M, int Length, int Seed);
}
