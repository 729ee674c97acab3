using System.Buffers;
using ZstdSharp;

namespace RclonePool.Core.Compression;

/// <summary>
/// zstd applied to one hash block at a time (docs/efficiency.md): each block is its own frame, so a ranged read
/// decompresses only the blocks it touches, and a block is kept compressed only when that makes it smaller. Managed
/// (ZstdSharp): no native library to install or to crash the process on a malformed frame (bench/RclonePool.Benchmarks
/// compression, against ZstdNet over libzstd).
/// </summary>
public static class ZstdBlocks
{
    /// <summary>The codec name manifests record (<c>chunks[].codec</c>).</summary>
    public const string Codec = "zstd";

    public const int MinLevel = 1;

    public const int MaxLevel = 22;

    /// <summary>The level the incompressibility probe uses: the fastest, since it only has to tell "shrinks" from "does not".</summary>
    private const int ProbeLevel = 1;

    /// <summary>A first block that the probe shrinks by less than this (3%) marks a chunk as already compressed: it is stored raw.</summary>
    public const double ProbeMinSaving = 0.03;

    /// <summary>Room a block of <paramref name="plainLength"/> bytes may need compressed (zstd's bound).</summary>
    public static int Bound(int plainLength) => Compressor.GetCompressBound(plainLength);

    /// <summary>
    /// Compresses one block into <paramref name="scratch"/> (at least <see cref="Bound"/> bytes); returns the frame's
    /// length when it is smaller than the block, else 0: the block is stored raw.
    /// </summary>
    public static int CompressOrRaw(Compressor compressor, ReadOnlySpan<byte> plain, Span<byte> scratch)
    {
        ArgumentNullException.ThrowIfNull(compressor);
        var written = compressor.Wrap(plain, scratch);
        return written < plain.Length ? written : 0;
    }

    /// <summary>
    /// True when a chunk whose first block is <paramref name="firstBlock"/> is worth compressing: video, archives and
    /// encrypted data are told apart by one fast compression of that block, so they cost almost nothing.
    /// </summary>
    public static bool LooksCompressible(ReadOnlySpan<byte> firstBlock)
    {
        if (firstBlock.IsEmpty)
        {
            return false;
        }

        var scratch = ArrayPool<byte>.Shared.Rent(Bound(firstBlock.Length));
        var probe = ZstdCompressors.Rent(ProbeLevel);
        try
        {
            return Shrinks(firstBlock.Length, probe.Wrap(firstBlock, scratch));
        }
        finally
        {
            ZstdCompressors.Return(ProbeLevel, probe);
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// True when a block of <paramref name="plainLength"/> bytes that compressed to <paramref name="compressedLength"/>
    /// (0: not smaller, see <see cref="CompressOrRaw"/>) saved at least <see cref="ProbeMinSaving"/>: what the probe asks
    /// of its level-1 frame, and what the first block's own frame answers when the chunk is compressed anyway.
    /// </summary>
    public static bool Shrinks(int plainLength, int compressedLength) =>
        compressedLength > 0 && compressedLength <= plainLength * (1 - ProbeMinSaving);

    /// <summary>
    /// Restores one block's plain bytes from its stored bytes: a copy when the block was stored raw (same length), else
    /// one zstd frame that must give exactly <paramref name="plain"/>.Length bytes. False when the frame is malformed.
    /// </summary>
    public static bool TryDecode(Decompressor decompressor, ReadOnlySpan<byte> stored, Span<byte> plain)
    {
        ArgumentNullException.ThrowIfNull(decompressor);
        if (stored.Length == plain.Length)
        {
            stored.CopyTo(plain);
            return true;
        }

        try
        {
            return decompressor.Unwrap(stored, plain) == plain.Length;
        }
        catch (ZstdException)
        {
            return false;
        }
    }
}
