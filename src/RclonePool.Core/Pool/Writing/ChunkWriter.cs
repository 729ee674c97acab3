using Microsoft.Extensions.Logging;
using RclonePool.Core.Chunking;
using RclonePool.Core.Compression;
using RclonePool.Core.Errors;
using RclonePool.Core.Integrity;
using RclonePool.Core.Manifests;
using RclonePool.Core.Redundancy;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Pool.Writing;

/// <summary>
/// Stores chunks as the redundancy policy says (docs/redundancy.md): one object, whole copies on distinct remotes, or
/// a parity stripe (<see cref="StripeWriter"/>). Every object goes under a fresh object id, or with
/// <c>enable_deduplication</c> under a name made from its content (<see cref="ContentAddressedChunks"/>); a failing remote
/// is retried, then left for another one with room.
/// </summary>
internal sealed class ChunkWriter(PoolContext pool, ContentClaims claims)
{
    private readonly StripeWriter _stripes = new(pool);

    /// <summary>Content-addressed chunks this process stored, by their plain block digests.</summary>
    public StoredForms StoredForms { get; } = new();

    /// <summary>
    /// The content-addressed writes of <c>enable_deduplication</c>: one for the pool, made once even when the chunks of an
    /// upload ask for it at the same moment (two would each make their own secret for a new pool, and name its chunks apart).
    /// </summary>
    private ContentAddressedChunks ContentAddressed => LazyInitializer.EnsureInitialized(ref _contentAddressed, ref _contentAddressedLock, () => new(pool, new ContentAddresses(pool), claims, this, _stripes));

    private ContentAddressedChunks? _contentAddressed;
    private object? _contentAddressedLock;

    private int BlockSize => pool.Chunking.BlockSize;

    /// <summary>Every object an upload of <paramref name="length"/> bytes cut as <paramref name="chunking"/> says (default: the pool's) stores, for the room check before it starts (estimated for content-defined chunks).</summary>
    public IEnumerable<long> StoredObjects(long length, RedundancyPolicy policy, ChunkingPolicy? chunking = null)
    {
        var blockSize = BlockSize;
        return (chunking ?? pool.Chunking).EstimatedChunkLengths(length)
            .SelectMany(chunkLength => policy.StoredObjects(chunkLength, blockSize))
            .Where(size => size > 0);
    }

    /// <summary>
    /// Stores one chunk as the redundancy policy says: one object, whole copies, or a parity stripe. With
    /// <c>enable_compression</c> a chunk that shrinks is stored in its compressed form (<see cref="CompressedChunk"/>),
    /// and with codec plugins enabled (compression, encryption, transformer) in the form they make of it: copies and
    /// parity are made of the stored bytes, so a repair or a degraded read never decodes.
    /// </summary>
    public async Task<ChunkEntry> WriteAsync(int index, long offset, long length, Func<Stream> openSource, UploadContext upload, CancellationToken cancellationToken)
    {
        if (pool.Codecs.ForWrite() is { } codecs)
        {
            // Deduplicated and compressed: a chunk whose plain bytes this process stored already is found from their block
            // digests, before it is compressed and hashed again to learn its object's name (StoredForms); a candidate found so
            // is reused only when its SHA-256 is the chunk's too. Content never seen (most of an upload) costs a read and the
            // block digests, not a SHA-256: the compression pass computes that from the bytes it compresses.
            string? plainBlocks = null;
            var copies = ReusableCopies(length, upload);
            if (copies > 0 && codecs.OnlyCompresses)
            {
                plainBlocks = await DigestBlocksAsync(openSource, length, cancellationToken);
                if (StoredForms.Find(plainBlocks, length) is { } candidate
                    && await HashAsync(openSource, length, cancellationToken) == (candidate.Sha256, candidate.BlockHashes)
                    && await ContentAddressed.TryReuseAsync(candidate, index, offset, copies, upload, cancellationToken) is { } reused)
                {
                    return reused;
                }
            }

            await using var compressed = await CompressedChunk.CreateAsync(openSource, length, BlockSize, codecs, pool.Config.TempDir, plainBlocks, cancellationToken);
            if (compressed is not null)
            {
                var stored = await WriteStoredAsync(index, offset, compressed.StoredLength, compressed.OpenStored, upload, cancellationToken);

                // Progress counts plain bytes: the write reported the stored ones.
                for (var rest = compressed.PlainLength - compressed.StoredLength; rest > 0; rest -= int.MaxValue)
                {
                    upload.ReportProgress((int)Math.Min(rest, int.MaxValue));
                }

                return Remembered(compressed.Describe(stored), plainBlocks is not null);
            }

            return Remembered(await WriteStoredAsync(index, offset, length, openSource, upload, cancellationToken), plainBlocks is not null);
        }

        return await WriteStoredAsync(index, offset, length, openSource, upload, cancellationToken);
    }

    /// <summary>
    /// Copies a chunk of <paramref name="length"/> bytes is stored in when it is stored whole under a content-addressed
    /// name (<c>enable_deduplication</c>, one object or replicas), so that it can be found by its plain hash; 0 otherwise
    /// (no dedup, or a parity stripe).
    /// </summary>
    private int ReusableCopies(long length, UploadContext upload)
    {
        if (!pool.Config.EnableDeduplication)
        {
            return 0;
        }

        var scheme = upload.Policy.SchemeFor(length, BlockSize);
        return scheme.Kind switch
        {
            ChunkSchemeKind.Striped => 0,
            ChunkSchemeKind.Replicated => scheme.Copies,
            _ => 1,
        };
    }

    private ChunkEntry Remembered(ChunkEntry entry, bool remember)
    {
        if (remember)
        {
            StoredForms.Remember(entry);
        }

        return entry;
    }

    /// <summary>The SHA-256 and block digests of a chunk's plain bytes, read from the source.</summary>
    private async Task<(string Sha256, string BlockHashes)> HashAsync(Func<Stream> openSource, long length, CancellationToken cancellationToken)
    {
        using var hasher = new ChunkHasher(BlockSize);
        await ReadIntoAsync(hasher, openSource, length, cancellationToken);
        return hasher.Complete();
    }

    /// <summary>The block digests alone of a chunk's plain bytes (the <see cref="StoredForms"/> key), read from the source.</summary>
    private async Task<string> DigestBlocksAsync(Func<Stream> openSource, long length, CancellationToken cancellationToken)
    {
        using var hasher = new ChunkHasher(BlockSize, wholeChunk: false);
        await ReadIntoAsync(hasher, openSource, length, cancellationToken);
        return hasher.CompleteBlocks();
    }

    private static async Task ReadIntoAsync(ChunkHasher hasher, Func<Stream> openSource, long length, CancellationToken cancellationToken)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 17);
        try
        {
            await using var source = openSource();
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hasher.Append(buffer.AsSpan(0, read));
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        if (hasher.BytesHashed != length)
        {
            throw new PoolException(PoolErrorKind.Conflict, $"The source gave {hasher.BytesHashed} bytes for a chunk of {length}; it changed during the upload.");
        }
    }

    /// <summary>Stores bytes as they go to the remotes (a raw chunk, or a compressed chunk's stored form).</summary>
    private Task<ChunkEntry> WriteStoredAsync(int index, long offset, long length, Func<Stream> openSource, UploadContext upload, CancellationToken cancellationToken)
    {
        var scheme = upload.Policy.SchemeFor(length, BlockSize);
        if (pool.Config.EnableDeduplication)
        {
            return ContentAddressed.WriteAsync(index, offset, length, openSource, scheme, BlockSize, upload, cancellationToken);
        }

        return scheme.Kind switch
        {
            ChunkSchemeKind.Striped => _stripes.WriteAsync(index, offset, length, openSource, scheme, upload, cancellationToken),
            ChunkSchemeKind.Replicated => WriteCopiesAsync(index, offset, length, openSource, scheme.Copies, upload, cancellationToken),
            _ => WriteSingleAsync(index, offset, length, openSource, upload, cancellationToken),
        };
    }

    private async Task<ChunkEntry> WriteSingleAsync(int index, long offset, long length, Func<Stream> openSource, UploadContext upload, CancellationToken cancellationToken)
    {
        var copy = await StoreCopyAsync(index, length, openSource, hash: true, upload, new RemoteClaims(), cancellationToken);
        return new ChunkEntry
        {
            Index = index,
            Offset = offset,
            Length = length,
            Sha256 = copy.Sha256!,
            BlockHashes = copy.BlockHashes!,
            Locations = [new ChunkLocation { Remote = copy.Remote.Name, Object = copy.Object, StoredLength = length }],
        };
    }

    /// <summary>Stores <paramref name="copies"/> whole copies of a chunk concurrently, each on a different remote.</summary>
    private async Task<ChunkEntry> WriteCopiesAsync(int index, long offset, long length, Func<Stream> openSource, int copies, UploadContext upload, CancellationToken cancellationToken)
    {
        var claims = new RemoteClaims();
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var stored = await Task.WhenAll(Enumerable.Range(0, copies).Select(async copy =>
        {
            try
            {
                return await StoreCopyAsync(index, length, openSource, hash: copy == 0, upload, claims, failed.Token);
            }
            catch
            {
                await failed.CancelAsync();
                throw;
            }
        }));

        return new ChunkEntry
        {
            Index = index,
            Offset = offset,
            Length = length,
            Sha256 = stored[0].Sha256!,
            BlockHashes = stored[0].BlockHashes!,
            Locations = [.. stored.Select((s, copy) => new ChunkLocation
            {
                Remote = s.Remote.Name,
                Object = s.Object,
                Role = copy == 0 ? LocationRole.Data : LocationRole.Replica,
                StoredLength = length,
            })],
        };
    }

    /// <summary>
    /// Stores one object of a chunk under a fresh object id on a remote no other object of the chunk uses: retries
    /// transient failures on the same remote, then moves on to another remote with room, excluding the failing one
    /// for the rest of the operation. Hashes (and reports progress for) the bytes when <paramref name="hash"/> is set.
    /// </summary>
    public Task<StoredCopy> StoreCopyAsync(int index, long length, Func<Stream> openSource, bool hash, UploadContext upload, RemoteClaims claims, CancellationToken cancellationToken) =>
        StoreCopyAsync(index, length, openSource, hash, upload, claims, contentObject: null, cancellationToken);

    /// <summary>As above, under <paramref name="contentObject"/> (a content-addressed name) instead of a fresh id when it is set.</summary>
    public async Task<StoredCopy> StoreCopyAsync(int index, long length, Func<Stream> openSource, bool hash, UploadContext upload, RemoteClaims claims, string? contentObject, CancellationToken cancellationToken)
    {
        var blockSize = BlockSize;
        while (true)
        {
            string remoteName;
            try
            {
                remoteName = claims.Reserve(upload.Placement, length);
            }
            catch (PoolException e) when (e.Kind == PoolErrorKind.NoSpace && !upload.Failures.IsEmpty)
            {
                throw upload.NoRemoteTook(index, pool.Remotes.Count, e);
            }

            var remote = pool.Remote(remoteName);
            try
            {
                return await pool.Retry.ExecuteAsync(async ct =>
                {
                    if (upload.GaveUpOn(remoteName) is { } gaveUp)
                    {
                        throw gaveUp; // another chunk of this upload gave up on the remote: do not wait out its retries as well
                    }

                    // A failed attempt may leave a truncated object: it stays in Written and is removed after the upload.
                    var objectPath = contentObject ?? pool.Layout.ChunkObject(ManifestNames.NewId());
                    var target = new RemotePath(remote.Storage, objectPath);
                    upload.Written.TryAdd((remote, objectPath), 0);
                    using var hasher = hash ? new ChunkHasher(blockSize) : null;
                    long sent;
                    await using (var source = openSource())
                    {
                        await using var counted = new HashingReadStream(source, hasher, hash ? upload.ReportProgress : null);
                        await pool.Store.WriteAsync(target, counted, length, ct);
                        sent = counted.BytesRead;
                    }

                    if (sent != length)
                    {
                        throw new PoolException(PoolErrorKind.Conflict, $"The source gave {sent} bytes for chunk {index} where {length} were expected; it changed during the upload.");
                    }

                    return hasher is null
                        ? new StoredCopy(remote, objectPath, null, null)
                        : StoredCopy.Hashed(remote, objectPath, hasher.Complete());
                }, cancellationToken);
            }
            catch (PoolException e) when (e.Kind is PoolErrorKind.Transient or PoolErrorKind.Remote or PoolErrorKind.NoSpace)
            {
                claims.Give(upload.Placement, remoteName, length);
                upload.GiveUp(remoteName, e);
                pool.Logger.LogWarning("Storing chunk {Index} on {Remote} failed ({Error}); trying another remote.", index, remote.Name, e.Message);
            }
        }
    }
}
