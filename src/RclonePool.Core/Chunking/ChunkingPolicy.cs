using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using RclonePool.Core.Config;

namespace RclonePool.Core.Chunking;

/// <summary>
/// How new uploads are cut into chunks (the <c>chunking</c> key): at fixed offsets every <c>chunk_size</c> bytes, or at
/// content-defined boundaries (<c>cdc</c>, <see cref="CdcSizes"/>) so that an insertion moves only the chunks around it.
/// Reading never asks: a manifest records every chunk's offset and length, whichever way it was cut.
/// </summary>
public sealed class ChunkingPolicy
{
    public const string Fixed = "fixed";
    public const string ContentDefined = "cdc";

    private ChunkingPolicy(long fixedSize, CdcSizes? cdc, int? blockSize = null)
    {
        Cdc = cdc;
        MaxChunkSize = cdc?.Max ?? fixedSize;
        TypicalChunkSize = cdc?.Avg ?? fixedSize;
        BlockSize = blockSize ?? ChunkLayout.BlockSizeFor(TypicalChunkSize);
    }

    /// <summary>The names the <c>chunking</c> key accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = [Fixed, ContentDefined];

    /// <summary>The content-defined sizes, or null for fixed chunks.</summary>
    public CdcSizes? Cdc { get; }

    public bool IsContentDefined => Cdc is not null;

    /// <summary>No chunk is longer: what manifests record as their chunk size.</summary>
    public long MaxChunkSize { get; }

    /// <summary>The size of most chunks: <c>chunk_size</c>, or the CDC average.</summary>
    public long TypicalChunkSize { get; }

    /// <summary>A file of at most this many bytes is one chunk whatever its content: the CDC minimum, or the fixed size.</summary>
    public long SingleChunkMax => Cdc?.Min ?? MaxChunkSize;

    /// <summary>The hash block size of new manifests: 256 KiB, or a typical chunk when chunks are smaller.</summary>
    public int BlockSize { get; }

    /// <summary>The policy a (valid) config asks for.</summary>
    public static ChunkingPolicy For(PoolConfig config) => config.Chunking == ContentDefined
        ? new(config.ChunkSize, new CdcSizes(config.CdcMinChunkSize, config.CdcAvgChunkSize, config.CdcMaxChunkSize))
        : new(config.ChunkSize, null);

    /// <summary>Fixed chunks of <paramref name="chunkSize"/> bytes.</summary>
    public static ChunkingPolicy FixedSize(long chunkSize) => new(chunkSize, null);

    /// <summary>
    /// Fixed chunks of <paramref name="chunkSize"/> bytes hashed in blocks of <paramref name="blockSize"/> (a chunker
    /// plugin's size for one file, keeping the pool's block size; <paramref name="chunkSize"/> is a multiple of it).
    /// </summary>
    public static ChunkingPolicy FixedSize(long chunkSize, int blockSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        ArgumentOutOfRangeException.ThrowIfNotEqual(chunkSize % blockSize, 0, nameof(chunkSize));
        return new(chunkSize, null, blockSize);
    }

    /// <summary>Content-defined chunks of <paramref name="sizes"/>.</summary>
    public static ChunkingPolicy ContentDefinedSizes(CdcSizes sizes) => new(sizes.Max, sizes);

    /// <summary>
    /// The chunks of <paramref name="length"/> bytes of a local file from <paramref name="start"/>: computed for fixed
    /// chunks, found by one read of the file for content-defined ones (each handed out as soon as it is found).
    /// </summary>
    public IAsyncEnumerable<ChunkRange> RangesAsync(SafeFileHandle handle, long start, long length, CancellationToken cancellationToken) =>
        Cdc is { } sizes ? GearFileRanges.ScanAsync(handle, start, length, sizes, null, null, cancellationToken) : FixedRanges(length).ToAsyncEnumerable();

    /// <summary>
    /// Content-defined chunks as <see cref="RangesAsync(SafeFileHandle, long, long, CancellationToken)"/> finds them,
    /// with <paramref name="fileHash"/> fed every byte the scan reads (<paramref name="hashed"/> counts them): the file's
    /// hash comes with its one read. Only for content-defined chunking (<see cref="IsContentDefined"/>).
    /// </summary>
    internal IAsyncEnumerable<ChunkRange> ScannedRangesAsync(SafeFileHandle handle, long start, long length, IncrementalHash fileHash, StrongBox<long> hashed, CancellationToken cancellationToken) =>
        GearFileRanges.ScanAsync(handle, start, length, Cdc ?? throw new InvalidOperationException("Fixed chunks are not scanned."), fileHash, hashed, cancellationToken);

    /// <summary>Cuts a stream read once, feeding <paramref name="fileHash"/> with every byte.</summary>
    internal IStreamChunker ForStream(Stream source, string tempDir, IncrementalHash fileHash, long expectedLength) => Cdc is { } sizes
        ? new GearStreamChunker(source, sizes, tempDir, fileHash)
        : new FixedStreamChunker(source, MaxChunkSize, tempDir, fileHash, expectedLength);

    /// <summary>
    /// Chunk lengths for a room check before an upload of <paramref name="length"/> bytes: exact for fixed chunks, chunks of
    /// the average for content-defined ones (their real sizes are known only while the upload reads them).
    /// </summary>
    public IEnumerable<long> EstimatedChunkLengths(long length) =>
        Enumerable.Range(0, ChunkLayout.ChunkCount(length, TypicalChunkSize)).Select(i => ChunkLayout.Chunk(length, TypicalChunkSize, i).Length);

    private IEnumerable<ChunkRange> FixedRanges(long length) =>
        Enumerable.Range(0, ChunkLayout.ChunkCount(length, MaxChunkSize)).Select(i =>
        {
            var (offset, chunkLength) = ChunkLayout.Chunk(length, MaxChunkSize, i);
            return new ChunkRange(i, offset, chunkLength);
        });
}
