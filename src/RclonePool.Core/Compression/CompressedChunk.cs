using System.Buffers;
using RclonePool.Core.Errors;
using RclonePool.Core.Integrity;
using RclonePool.Core.Manifests;
using RclonePool.Core.Plugins;

namespace RclonePool.Core.Compression;

/// <summary>
/// The stored form of one compressed chunk, made before it is uploaded (its length must be known to the remote): every
/// hash block compressed on its own and kept compressed only where that made it smaller, with the plain chunk's hashes
/// computed in the same pass. Held in memory up to <see cref="MemoryLimit"/>, else in a private file under
/// <c>temp_dir</c> that is deleted on dispose, so it can be read again for each copy and each retry. Compression happens
/// here, before any remote (crypt or not) sees the bytes, and so do the codec plugins (<see cref="BlockCodecChain"/>:
/// compression, encryption, transformer), block by block in the same pass.
/// </summary>
public sealed class CompressedChunk : IAsyncDisposable
{
    /// <summary>Stored forms up to this size are held in memory.</summary>
    public const long MemoryLimit = 8 * 1024 * 1024;

    private readonly MemoryStream? _memory;
    private readonly string? _file;

    private CompressedChunk(MemoryStream? memory, string? file, ChunkCodec codec, long plainLength, int[] blockLengths, string sha256, string blockHashes)
    {
        Codec = codec;
        _memory = memory;
        _file = file;
        PlainLength = plainLength;
        StoredBlockLengths = blockLengths;
        StoredLength = blockLengths.Sum(b => (long)b);
        Sha256 = sha256;
        BlockHashes = blockHashes;
    }

    /// <summary>The stages the blocks went through, as the manifest records them.</summary>
    public ChunkCodec Codec { get; }

    public long PlainLength { get; }

    public long StoredLength { get; }

    /// <summary>Stored bytes of each block (equal to its plain length when it is raw).</summary>
    public IReadOnlyList<int> StoredBlockLengths { get; }

    /// <summary>SHA-256 (hex) of the plain chunk.</summary>
    public string Sha256 { get; }

    /// <summary>Block digests (base64) of the plain chunk.</summary>
    public string BlockHashes { get; }

    /// <summary>
    /// Encodes a chunk of <paramref name="length"/> bytes through <paramref name="codecs"/>, or returns null when it is
    /// stored raw: compression is its only stage and it is not worth it (neither its first, middle nor last block shrinks,
    /// <see cref="ZstdBlocks.LooksCompressible"/>, already-compressed content, decided after at most three blocks; or no
    /// block shrank at all; or every stage left it, as a transformer refused on its first block does). With encryption or
    /// a transformer the chunk is otherwise always encoded (compressed or not). <paramref name="plainBlockHashes"/>, when
    /// the caller digested the plain bytes already, must match the block digests of the bytes read here (else the source
    /// changed: Conflict); the SHA-256 and digests recorded are always those of the bytes read here.
    /// </summary>
    public static async Task<CompressedChunk?> CreateAsync(Func<Stream> openPlain, long length, int blockSize, BlockCodecChain codecs, string tempDir, string? plainBlockHashes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(openPlain);
        ArgumentNullException.ThrowIfNull(codecs);
        var chunk = await CompressAsync(openPlain, length, blockSize, codecs, tempDir, expected: null, plainBlockHashes, cancellationToken);
        if (chunk is not null && (chunk.Codec.IsRaw || (chunk.Codec.Encryption is null && chunk.Codec.Transformer is null && chunk.StoredLength >= length)))
        {
            await chunk.DisposeAsync();
            return null;
        }

        return chunk;
    }

    /// <summary>As above, hashing the plain bytes in the same pass.</summary>
    public static Task<CompressedChunk?> CreateAsync(Func<Stream> openPlain, long length, int blockSize, BlockCodecChain codecs, string tempDir, CancellationToken cancellationToken) =>
        CreateAsync(openPlain, length, blockSize, codecs, tempDir, plainBlockHashes: null, cancellationToken);

    /// <summary>
    /// Writes the stored form of an existing coded chunk again from its plain bytes (repair, rebuild), through
    /// <paramref name="codecs"/>, the chain the chunk names: the same level and the same library give the same zstd
    /// frames, and so does a deterministic plugin; a block that comes out at another length than the manifest recorded is
    /// refused, and the new object is checked against the stored hashes after writing.
    /// </summary>
    public static async Task<CompressedChunk> RecreateAsync(Func<Stream> openPlain, ChunkEntry chunk, int blockSize, BlockCodecChain codecs, string tempDir, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var lengths = chunk.StoredBlockLengths ?? throw new ArgumentException("The chunk is not compressed.", nameof(chunk));
        return (await CompressAsync(openPlain, chunk.Length, blockSize, codecs, tempDir, lengths, plainBlockHashes: null, cancellationToken))!;
    }

    /// <summary>Opens the stored form from its start (any number of times).</summary>
    public Stream OpenStored() => _memory is not null
        ? new MemoryStream(_memory.GetBuffer(), 0, (int)_memory.Length, writable: false)
        : new FileStream(_file!, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);

    /// <summary>
    /// The manifest entry of the chunk, from <paramref name="stored"/> (what the chunk writer recorded for the stored form:
    /// its locations, SHA-256 and block digests): plain length and hashes, and the stored form's beside them.
    /// </summary>
    public ChunkEntry Describe(ChunkEntry stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return stored with
        {
            Length = PlainLength,
            Sha256 = Sha256,
            BlockHashes = BlockHashes,
            Codec = Codec.Name,
            StoredLength = stored.Length,
            StoredSha256 = stored.Sha256,
            StoredBlockHashes = stored.BlockHashes,
            StoredBlockLengths = [.. StoredBlockLengths],
        };
    }

    public ValueTask DisposeAsync()
    {
        _memory?.Dispose();
        if (_file is not null)
        {
            File.Delete(_file);
        }

        return ValueTask.CompletedTask;
    }

    private static async Task<CompressedChunk?> CompressAsync(Func<Stream> openPlain, long length, int blockSize, BlockCodecChain codecs, string tempDir, IReadOnlyList<int>? expected, string? plainBlockHashes, CancellationToken cancellationToken)
    {
        var plain = ArrayPool<byte>.Shared.Rent(blockSize);
        var encoder = new BlockEncoder(codecs, blockSize);
        string? file = null;
        Stream? sink = null;
        try
        {
            await using var source = openPlain();
            var blockCount = (int)((length + blockSize - 1) / blockSize);
            var lengths = new int[blockCount];
            using var hasher = new ChunkHasher(blockSize);
            long storedOffset = 0;
            for (var block = 0; block < blockCount; block++)
            {
                var want = (int)Math.Min(blockSize, length - ((long)block * blockSize));
                var read = await source.ReadAtLeastAsync(plain.AsMemory(0, want), want, throwOnEndOfStream: false, cancellationToken);
                if (read < want)
                {
                    throw new PoolException(PoolErrorKind.Conflict, $"The source gave {((long)block * blockSize) + read} bytes for a chunk of {length}; it changed during the upload.");
                }

                // zstd alone: the first block's own frame is the probe (a level-1 probe first would compress it twice,
                // which for the one or two blocks of a small file's chunk doubled the work).
                var ownProbe = block == 0 && expected is null && codecs.Zstd && codecs.OnlyCompresses;
                if (block == 0 && expected is null && codecs.Compresses && !ownProbe && !ZstdBlocks.LooksCompressible(plain.AsSpan(0, want))
                    && !await LaterBlocksLookCompressibleAsync(openPlain, length, blockSize, cancellationToken))
                {
                    // Already compressed: stored raw, or through the other stages only.
                    if (codecs.WithoutCompression() is not { } rest)
                    {
                        return null;
                    }

                    codecs = rest;
                    encoder.Dispose();
                    encoder = new BlockEncoder(codecs, blockSize);
                }

                var stored = encoder.Encode(plain.AsMemory(0, want), block, storedOffset);
                if (ownProbe && !ZstdBlocks.Shrinks(want, encoder.LastZstdLength)
                    && !await LaterBlocksLookCompressibleAsync(openPlain, length, blockSize, cancellationToken))
                {
                    return null; // already compressed: stored raw
                }

                hasher.Append(plain.AsSpan(0, want));

                lengths[block] = stored.Length;
                storedOffset += stored.Length;
                if (expected is not null && expected[block] != lengths[block])
                {
                    throw new PoolException(PoolErrorKind.Conflict, $"Block {block} encodes to {lengths[block]} bytes where the manifest recorded {expected[block]}; this rclonepool cannot write the same stored form again (was it written by another version, or by a plugin that does not encode the same way twice?). Copy the file out and upload it again.");
                }

                if (sink is null)
                {
                    (sink, file) = OpenSink(length, tempDir);
                }

                await sink.WriteAsync(stored, cancellationToken);
            }

            var (sha, blockHashes) = hasher.Complete();
            if (plainBlockHashes is not null && plainBlockHashes != blockHashes)
            {
                // The chunk was looked up by the digests of an earlier read: a source that changed between the two reads is refused.
                throw new PoolException(PoolErrorKind.Conflict, "The source changed while it was being uploaded; upload it again when nothing writes to it.");
            }

            if (sink is FileStream)
            {
                await sink.DisposeAsync();
                sink = null;
            }

            var result = new CompressedChunk(sink as MemoryStream, file, encoder.Codec, length, lengths, sha, blockHashes);
            sink = null;
            file = null;
            return result;
        }
        finally
        {
            if (sink is not null)
            {
                await sink.DisposeAsync();
            }

            if (file is not null)
            {
                File.Delete(file);
            }

            ArrayPool<byte>.Shared.Return(plain);
            encoder.Dispose();
        }
    }

    /// <summary>
    /// A second look when the first block does not shrink: the middle and the last block, probed the same way. Content-
    /// defined chunks start wherever the content says, so a chunk of a mixed file (a disk image) can begin in random bytes
    /// and go on in text; two more probes per such chunk keep it from being stored raw. False for a source that cannot seek.
    /// </summary>
    private static async Task<bool> LaterBlocksLookCompressibleAsync(Func<Stream> openPlain, long length, int blockSize, CancellationToken cancellationToken)
    {
        var blockCount = (int)((length + blockSize - 1) / blockSize);
        if (blockCount < 2)
        {
            return false;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(blockSize);
        try
        {
            await using var source = openPlain();
            if (!source.CanSeek)
            {
                return false;
            }

            foreach (var block in new[] { blockCount / 2, blockCount - 1 }.Where(b => b > 0).Distinct())
            {
                var want = (int)Math.Min(blockSize, length - ((long)block * blockSize));
                source.Position = (long)block * blockSize;
                var read = await source.ReadAtLeastAsync(buffer.AsMemory(0, want), want, throwOnEndOfStream: false, cancellationToken);
                if (read == want && ZstdBlocks.LooksCompressible(buffer.AsSpan(0, want)))
                {
                    return true;
                }
            }

            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static (Stream Sink, string? File) OpenSink(long length, string tempDir)
    {
        if (length <= MemoryLimit)
        {
            return (new MemoryStream((int)Math.Min(length, 1 << 20)), null);
        }

        Directory.CreateDirectory(tempDir);
        var path = Path.Combine(tempDir, $"zstd-{Environment.ProcessId}-{Guid.NewGuid():N}");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return (new FileStream(path, options), path);
    }
}
