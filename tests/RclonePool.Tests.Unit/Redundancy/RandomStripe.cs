using RclonePool.Core.Redundancy.Codec;

namespace RclonePool.Tests.Unit.Redundancy;

/// <summary>A stripe of random data shards with parity computed, and ways to damage and compare it.</summary>
internal sealed class RandomStripe
{
    private RandomStripe(byte[][] shards, int dataShards)
    {
        Shards = shards;
        DataShards = dataShards;
    }

    public byte[][] Shards { get; }

    public int DataShards { get; }

    public int TotalShards => Shards.Length;

    public static RandomStripe Encode(ReedSolomonCodec codec, int length, int seed)
    {
        var random = new Random(seed);
        var shards = new byte[codec.TotalShards][];
        for (int i = 0; i < shards.Length; i++)
        {
            shards[i] = new byte[length];
            if (i < codec.DataShards)
            {
                random.NextBytes(shards[i]);
            }
        }

        codec.Encode(AsReadOnly(shards[..codec.DataShards]), AsMemory(shards[codec.DataShards..]));
        return new RandomStripe(shards, codec.DataShards);
    }

    public static ReadOnlyMemory<byte>[] AsReadOnly(byte[][] shards) => [.. shards.Select(s => (ReadOnlyMemory<byte>)s)];

    public static Memory<byte>[] AsMemory(byte[][] shards) => [.. shards.Select(s => (Memory<byte>)s)];

    /// <summary>A copy with the listed shards overwritten by garbage and marked missing.</summary>
    public (Memory<byte>[] Shards, bool[] Present) Damage(IEnumerable<int> lost, int seed)
    {
        var random = new Random(seed);
        var copy = Shards.Select(s => (byte[])s.Clone()).ToArray();
        var present = Enumerable.Repeat(true, copy.Length).ToArray();
        foreach (int i in lost)
        {
            random.NextBytes(copy[i]);
            present[i] = false;
        }

        return (AsMemory(copy), present);
    }

    /// <summary>Index of the first shard that differs from this stripe, or -1.</summary>
    public int FirstDifference(Memory<byte>[] shards, int count)
    {
        for (int i = 0; i < count; i++)
        {
            if (!shards[i].Span.SequenceEqual(Shards[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Every set of 1..maxSize distinct shard indices out of n.</summary>
    public static IEnumerable<int[]> ErasurePatterns(int n, int maxSize)
    {
        for (int size = 1; size <= maxSize; size++)
        {
            foreach (int[] pattern in Combinations(n, size, 0))
            {
                yield return pattern;
            }
        }
    }

    private static IEnumerable<int[]> Combinations(int n, int size, int first)
    {
        if (size == 0)
        {
            yield return [];
            yield break;
        }

        for (int i = first; i <= n - size; i++)
        {
            foreach (int[] rest in Combinations(n, size - 1, i + 1))
            {
                yield return [i, .. rest];
            }
        }
    }
}
