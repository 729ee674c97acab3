using System.Numerics;
using RclonePool.Core.Config;

namespace RclonePool.Core.Chunking;

/// <summary>
/// The three sizes of content-defined chunking (<c>cdc_min_chunk_size</c>, <c>cdc_avg_chunk_size</c>,
/// <c>cdc_max_chunk_size</c>) and the two cut masks the average gives. No cut falls before <see cref="Min"/> bytes; up to
/// <see cref="Avg"/> bytes the test is the harder <see cref="SmallMask"/> (log2(avg) + 2 bits), after it the easier
/// <see cref="LargeMask"/> (log2(avg) - 2 bits), and a chunk that reaches <see cref="Max"/> bytes is cut there (FastCDC's
/// normalized chunking, level 2: chunk sizes cluster around the average).
/// </summary>
public sealed record CdcSizes
{
    /// <summary>How far the normalization moves each mask from log2(avg) bits.</summary>
    public const int NormalizationLevel = 2;

    /// <summary>The smallest average the masks allow: the easier mask keeps log2(avg) - 2 bits, at least 4.</summary>
    public const long SmallestAvg = 64;

    /// <summary>The sizes rclonepool uses unless the config says otherwise: 1 MiB, 4 MiB, 16 MiB.</summary>
    public static CdcSizes Default { get; } = new(1L << 20, 4L << 20, 16L << 20);

    public CdcSizes(long min, long avg, long max)
    {
        if (Problem(min, avg, max) is { } problem)
        {
            throw new ArgumentException(problem.Message);
        }

        Min = min;
        Avg = avg;
        Max = max;
        var bits = BitOperations.Log2((ulong)avg);
        SmallMask = TopBits(bits + NormalizationLevel);
        LargeMask = TopBits(bits - NormalizationLevel);
    }

    /// <summary>No chunk but a file's last is shorter.</summary>
    public long Min { get; }

    /// <summary>A power of two: where the harder mask gives way to the easier one.</summary>
    public long Avg { get; }

    /// <summary>No chunk is longer.</summary>
    public long Max { get; }

    /// <summary>The mask tested before <see cref="Avg"/> bytes: a cut needs these bits of the hash all zero.</summary>
    public ulong SmallMask { get; }

    /// <summary>The mask tested from <see cref="Avg"/> bytes on.</summary>
    public ulong LargeMask { get; }

    /// <summary>What is wrong with the three sizes together: the config key to blame and a sentence; null when they fit.</summary>
    public static (string Key, string Message)? Problem(long min, long avg, long max)
    {
        if (min < 1 || avg < SmallestAvg || max < 1)
        {
            return ("cdc_avg_chunk_size", $"cdc_min_chunk_size, cdc_avg_chunk_size and cdc_max_chunk_size must be positive, the average at least {SmallestAvg} bytes.");
        }

        if (!BitOperations.IsPow2(avg))
        {
            var above = (long)BitOperations.RoundUpToPowerOf2((ulong)avg);
            return ("cdc_avg_chunk_size",
                $"cdc_avg_chunk_size is {Show(avg)}; it must be a power of two such as {SizeParser.Format(above / 2)} or {SizeParser.Format(above)}, because a cut is tested with a mask of log2(average) bits.");
        }

        if (min > avg || avg > max)
        {
            return (min > avg ? "cdc_min_chunk_size" : "cdc_max_chunk_size",
                $"the CDC sizes contradict each other: cdc_min_chunk_size is {Show(min)}, cdc_avg_chunk_size {Show(avg)} and cdc_max_chunk_size {Show(max)}; they must satisfy min <= avg <= max (for example 1M, 4M, 16M).");
        }

        if (min == max)
        {
            return ("cdc_max_chunk_size",
                $"cdc_min_chunk_size and cdc_max_chunk_size are both {Show(min)}, so every chunk would have that size and none would be content-defined; widen the range (for example min = avg / 4, max = 4 x avg) or use chunking \"fixed\".");
        }

        return null;
    }

    private static string Show(long bytes) => $"{bytes} ({SizeParser.Format(bytes)})";

    private static ulong TopBits(int count) => count >= 64 ? ulong.MaxValue : ~(ulong.MaxValue >> count);
}
