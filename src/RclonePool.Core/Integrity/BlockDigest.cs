using System.IO.Hashing;

namespace RclonePool.Core.Integrity;

/// <summary>The per-block digest recorded in manifests ("xxh128"): 16 bytes per block.</summary>
public static class BlockDigest
{
    public const int Size = 16;

    public static void Compute(ReadOnlySpan<byte> block, Span<byte> destination) => XxHash128.Hash(block, destination);

    /// <summary>True when <paramref name="block"/> hashes to digest number <paramref name="blockIndex"/> of <paramref name="digests"/>.</summary>
    public static bool Matches(ReadOnlySpan<byte> block, ReadOnlySpan<byte> digests, int blockIndex)
    {
        if ((blockIndex + 1) * Size > digests.Length)
        {
            return false;
        }

        Span<byte> actual = stackalloc byte[Size];
        XxHash128.Hash(block, actual);
        return actual.SequenceEqual(digests.Slice(blockIndex * Size, Size));
    }
}
