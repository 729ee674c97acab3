using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RclonePool.Core.Chunking;

namespace RclonePool.Tests.Unit.Chunking;

/// <summary>The gear-hash chunker on its own: chunk sizes, streaming, and boundaries that survive edits elsewhere.</summary>
public sealed class GearCutterTests
{
    /// <summary>Bytes inserted, deleted or overwritten at one place of a file.</summary>
    public sealed record Edit(int Seed, int Position, int Size, string Kind)
    {
        public byte[] Apply(byte[] original)
        {
            var position = Position % original.Length;
            var bytes = CdcCuts.Random(Size, Seed);
            return Kind switch
            {
                "insert" => [.. original.AsSpan(0, position), .. bytes, .. original.AsSpan(position)],
                "delete" => [.. original.AsSpan(0, position), .. original.AsSpan(Math.Min(original.Length, position + Size))],
                _ => [.. original.AsSpan(0, position), .. bytes, .. original.AsSpan(Math.Min(original.Length, position + Size))],
            };
        }
    }

    private static Gen<Edit> Edits =>
        from seed in Gen.Choose(0, int.MaxValue - 1)
        from position in Gen.Choose(0, int.MaxValue)
        from size in Gen.Choose(1, 200)
        from kind in Gen.Elements("insert", "delete", "overwrite")
        select new Edit(seed, position, size, kind);

    [Property(MaxTest = 60)]
    public Property Chunks_concatenate_to_the_input_and_all_but_the_last_are_within_min_and_max() =>
        Prop.ForAll(Gen.Choose(0, 300_000).ToArbitrary(), Gen.Choose(0, int.MaxValue).ToArbitrary(), (length, seed) =>
        {
            var data = CdcCuts.Random(length, seed);
            var lengths = CdcCuts.Lengths(data, CdcCuts.Small);
            Assert.Equal(length, lengths.Sum());
            Assert.All(lengths.SkipLast(1), l => Assert.InRange(l, CdcCuts.Small.Min, CdcCuts.Small.Max));
            Assert.All(lengths.TakeLast(1), l => Assert.InRange(l, 1, CdcCuts.Small.Max));
            Assert.Equal(data, CdcCuts.Chunks(data, CdcCuts.Small).SelectMany(c => c).ToArray());
        });

    [Property(MaxTest = 40)]
    public Property Boundaries_do_not_depend_on_how_the_stream_arrives() =>
        Prop.ForAll(Gen.Choose(1, 70_000).ToArbitrary(), Gen.Choose(0, int.MaxValue).ToArbitrary(), (piece, seed) =>
        {
            var data = CdcCuts.Random(250_000, seed);
            Assert.Equal(CdcCuts.Lengths(data, CdcCuts.Small), CdcCuts.Lengths(data, CdcCuts.Small, piece));
        });

    [Property(MaxTest = 30)]
    public Property An_edit_changes_only_the_chunks_around_it() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), Gen.Choose(64 * 1024, 300 * 1024).ToArbitrary(), Edits.ArrayOf(EditsPerFile).ToArbitrary(), (seed, length, edits) =>
        {
            var original = CdcCuts.Random(length, seed);
            var before = CdcCuts.Chunks(original, CdcCuts.Small);
            var known = before.Select(Convert.ToHexString).ToHashSet(StringComparer.Ordinal);
            var fresh = new List<int>();
            foreach (var edit in edits)
            {
                var after = CdcCuts.Chunks(edit.Apply(original), CdcCuts.Small);

                // Every boundary before the edit stays where it was: whether a byte ends a chunk never depends on later bytes.
                var end = 0;
                var unchanged = before.TakeWhile(c => (end += c.Length) <= edit.Position % original.Length).Count();
                Assert.Equal(before.Take(unchanged).Select(Convert.ToHexString), after.Take(unchanged).Select(Convert.ToHexString));

                // After it the cuts find the same content again: the chunks around the edit are new, the rest are the old ones.
                fresh.Add(after.Count(c => !known.Contains(Convert.ToHexString(c))));
            }

            // Usually one chunk is new; where a cut lands inside one version's minimum and not the other's, the versions
            // take a few chunks to meet again (a Python model of the cutter: 92.5% one, 4% two, 2% three, rarely up to 9
            // in 400 edits), so the bound is on the sum over many edits.
            Assert.True(fresh.Sum() <= 3 * EditsPerFile, $"{string.Join(",", fresh)} new chunks for {EditsPerFile} edits of {before.Count} chunks");
        });

    private const int EditsPerFile = 12;

    [Fact]
    public void Chunk_sizes_cluster_around_the_average()
    {
        var sizes = new CdcSizes(16 * 1024, 64 * 1024, 256 * 1024);
        var lengths = CdcCuts.Lengths(CdcCuts.Random(64 << 20, 3), sizes).SkipLast(1).ToList();
        var mean = lengths.Average();
        Assert.InRange(mean, 0.75 * sizes.Avg, 1.25 * sizes.Avg);
        Assert.True(lengths.Count(l => l == sizes.Max) < lengths.Count / 100, $"{lengths.Count(l => l == sizes.Max)} of {lengths.Count} chunks hit the maximum");
    }

    [Fact]
    public void A_run_of_identical_bytes_is_cut_at_the_maximum()
    {
        var lengths = CdcCuts.Lengths(new byte[100_000], CdcCuts.Small);
        Assert.All(lengths.SkipLast(1), l => Assert.Equal(CdcCuts.Small.Max, l));
    }

    [Fact]
    public void The_gear_table_and_the_cuts_are_the_ones_every_pool_was_made_with()
    {
        // Other values would cut the same content elsewhere: uploads before and after would share no chunk. The cuts were
        // computed apart, by a short Python model of the algorithm (SplitMix64 table, masks of the top bits).
        Assert.Equal(256, GearTable.Values.Distinct().Count());
        Assert.Equal(0x0E94CB90BC2FD367UL, GearTable.Values[0]);
        Assert.Equal(0x29B76AFB645D225CUL, GearTable.Values[255]);
        var data = new byte[60_000];
        for (var j = 0; j * 32 < data.Length; j++)
        {
            var block = System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(j));
            block.AsSpan(0, Math.Min(32, data.Length - (j * 32))).CopyTo(data.AsSpan(j * 32));
        }

        Assert.Equal([4566, 4882, 4350, 4741, 4560, 4901, 4339, 4361, 4575, 1882, 4261, 4804, 3182, 3490, 1106], CdcCuts.Lengths(data, CdcCuts.Small));
    }

    [Theory]
    [InlineData(1024, 3000, 16384)]
    [InlineData(8192, 4096, 16384)]
    [InlineData(1024, 4096, 2048)]
    [InlineData(4096, 4096, 4096)]
    public void Sizes_that_contradict_each_other_are_refused(long min, long avg, long max) =>
        Assert.Throws<ArgumentException>(() => new CdcSizes(min, avg, max));
}
