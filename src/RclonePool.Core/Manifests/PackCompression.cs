using System.Buffers;
using System.Buffers.Binary;
using RclonePool.Core.Compression;
using RclonePool.Core.IO;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace RclonePool.Core.Manifests;

/// <summary>
/// How a manifest pack is stored (<c>pack-&lt;id&gt;.jsonl.zst</c>, docs/manifest-format.md): its JSON lines as one zstd
/// frame (ZstdSharp, as for chunks), level 3, a 64 KiB window and a content checksum. The records are independent
/// manifests, so a larger window finds nothing more (a 16 MiB pack of the scale bench: 5.02 MB with a 64 KiB window,
/// 5.00 MB with zstd's default 2 MiB); a small one keeps every reader's memory small, since a survey reads many packs at
/// once. The checksum makes a flipped bit in a stored pack an error instead of a different record.
/// </summary>
internal static class PackCompression
{
    public const int Level = 3;

    /// <summary>log2 of the window a writer uses: 64 KiB.</summary>
    public const int WindowLog = 16;

    /// <summary>log2 of the largest window a reader accepts (2 MiB, zstd's own at level 3): a frame asking more is damage.</summary>
    public const int MaxWindowLog = 21;

    // What a decompressing reader takes from the remote's stream at a time.
    private const int ReadBufferBytes = 32 * 1024;

    // Idle contexts kept: a context allocates its match tables (under a megabyte at this window) on its first frame.
    private const int KeptContexts = 4;

    private const uint FrameMagic = 0xFD2FB528;

    private static readonly CompressorPool Contexts = new(CreateContext, KeptContexts);

    /// <summary>True when <paramref name="head"/> (the first bytes of an object) starts a zstd frame; a plain pack starts with '{'.</summary>
    public static bool IsFrame(ReadOnlySpan<byte> head) => head.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(head) == FrameMagic;

    /// <summary>True for what a damaged frame throws while it is decompressed (a bad frame, a wrong checksum, an end too soon).</summary>
    public static bool IsDamage(Exception e) => e is ZstdException or EndOfStreamException;

    /// <summary>The frame of <paramref name="plain"/> (a pack the group writer sends: a few dozen records).</summary>
    public static byte[] Compress(ReadOnlySpan<byte> plain)
    {
        var compressor = Contexts.Rent();
        var scratch = ArrayPool<byte>.Shared.Rent(Compressor.GetCompressBound(plain.Length));
        try
        {
            var length = compressor.Wrap(plain, scratch);
            Contexts.Return(compressor);
            return scratch.AsSpan(0, length).ToArray();
        }
        catch
        {
            compressor.Dispose();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// The frame of <paramref name="plain"/> (<paramref name="plainLength"/> bytes, read front to back), in a pooled
    /// buffer: a seekable stream of known length, about a third of the plain size for manifests.
    /// </summary>
    public static Stream CompressToBuffer(Stream plain, long plainLength)
    {
        var compressor = Contexts.Rent();
        var buffer = new PooledBufferStream();
        var chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            using (var zstd = new CompressionStream(buffer, compressor, bufferSize: 0, preserveCompressor: true, leaveOpen: true))
            {
                zstd.SetPledgedSrcSize((ulong)plainLength);
                int read;
                while ((read = plain.Read(chunk)) > 0)
                {
                    zstd.Write(chunk.AsSpan(0, read));
                }
            }

            Contexts.Return(compressor);
            buffer.Position = 0;
            return buffer;
        }
        catch
        {
            compressor.Dispose();
            buffer.Dispose();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>The plain bytes of the frame <paramref name="compressed"/> holds, read as a stream (the frame's window, at most 2 MiB, and a 32 KiB buffer).</summary>
    public static Stream OpenDecompressing(Stream compressed)
    {
        var zstd = new DecompressionStream(compressed, ReadBufferBytes, checkEndOfStream: true, leaveOpen: true);
        zstd.SetParameter(ZSTD_dParameter.ZSTD_d_windowLogMax, MaxWindowLog);
        return zstd;
    }

    private static Compressor CreateContext()
    {
        var compressor = new Compressor(Level);
        compressor.SetParameter(ZSTD_cParameter.ZSTD_c_windowLog, WindowLog);
        compressor.SetParameter(ZSTD_cParameter.ZSTD_c_checksumFlag, 1);
        return compressor;
    }
}
