using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using RclonePool.Core.Chunking;
using RclonePool.Core.Compression;
using RclonePool.Core.Errors;
using RclonePool.Core.Events;
using RclonePool.Core.Integrity;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;

namespace RclonePool.Core.Pool.Writing;

/// <summary>
/// Writes one file into the pool (invariant 1 of DESIGN.md): its chunks (or, for a duplicate, none), then its manifest on
/// every remote, then the index; only then does the file become visible, and only then is the revision it replaces
/// retired. A failure removes what the attempt wrote. The caller holds the path's lock.
/// </summary>
internal sealed class FileUploader(PoolContext pool, ChunkWriter chunks, DuplicateFinder duplicates, ObjectReclaimer reclaimer, ContentClaims claims)
{
    /// <summary>Files up to this size live inside their manifest (written to every remote anyway): one call per remote, none for data.</summary>
    public const int InlineMaxBytes = 4096;

    /// <summary>
    /// Uploads of a known length up to this size announce their manifest write at their start (<see cref="ManifestStore.Announce"/>):
    /// their data is stored within milliseconds, so the manifests of other uploads waiting to share a pack may wait for them.
    /// </summary>
    public const long AnnouncedMaxBytes = 1024 * 1024;

    public async Task<PoolEntry> PutAsync(PoolPath path, Stream content, long length, PutOptions options, CancellationToken cancellationToken)
    {
        using var announced = length is >= 0 and <= AnnouncedMaxBytes ? pool.Manifests.Announce() : null;
        var existing = await PrepareWriteAsync(path, options, cancellationToken);
        if (pool.Events.HasSubscribers)
        {
            pool.Events.Publish(new PoolEvent { Type = PoolEventType.PreUpload, Path = path.Value, TotalBytes = length >= 0 ? length : null });
        }

        var placement = await pool.Capacity.NewPlacementAsync(cancellationToken);
        var upload = new UploadContext(placement, await pool.WorkersAsync(options.Workers, cancellationToken), pool.FileEvents.Progress("upload", path, length, options.Progress), pool.Redundancy, pool.Traffic);
        PoolLog.Uploading(pool.Logger, path.Value, length, upload.Workers);
        var chunking = pool.ChunkingFor(length);

        Manifest manifest;
        byte[] serialized;
        Manifest? duplicate = null;
        try
        {
            // A local file is hashed first when a file of its size exists (DuplicateFinder).
            duplicate = await duplicates.FindForFileAsync(content, length, existing, upload, cancellationToken);
            var (stored, size, sha256) = duplicate is not null ? ([], duplicate.Size, duplicate.Sha256!)
                : content is FileStream { CanSeek: true } file && length >= 0
                ? await UploadFileAsync(file, length, chunking, upload, cancellationToken)
                : await UploadStreamAsync(content, length, chunking, upload, cancellationToken);
            duplicate ??= await duplicates.FindForContentAsync(size, sha256, existing, upload, cancellationToken);

            var now = pool.Time.GetUtcNow();
            manifest = duplicate is not null ? duplicates.BorrowingManifest(path, existing, duplicate, options) : new Manifest
            {
                PoolId = pool.PoolId,
                FileId = existing?.FileId ?? ManifestNames.NewId(),
                Revision = (existing?.Revision ?? 0) + 1,
                Kind = EntryKind.File,
                Path = path.Value,
                Size = size,
                Created = existing?.Created ?? now,
                Modified = options.Modified ?? now,
                Written = now,
                Sha256 = sha256,
                ChunkSize = chunking.MaxChunkSize,
                BlockSize = pool.Chunking.BlockSize,
                FormatVersion = FormatVersionOf(stored),
                Compression = stored.Any(UsesZstd) ? ZstdBlocks.Codec : null,
                CompressionLevel = stored.Any(UsesZstd) ? pool.Config.CompressionLevel : null,
                Plugins = pool.Codecs.PluginsOf(stored),
                Redundancy = upload.Policy.ToSpec(),
                Chunks = stored,
                Properties = existing?.Properties,
            };
            serialized = await pool.Manifests.WriteAsync(manifest, cancellationToken, announced);
        }
        catch (Exception e) when (e is not PoolException { InDoubt: true })
        {
            await reclaimer.DiscardAsync(upload, upload.Written.Keys, "an upload that did not complete");
            await claims.RemoveAsync(upload);
            throw;
        }

        // The manifest is durable: from here on nothing is undone, and a cancellation waits for the bookkeeping.
        await pool.Index.PutAsync(manifest, serialized, CancellationToken.None);
        await claims.RemoveAsync(upload); // the manifest names what they claimed
        PoolLog.Stored(pool.Logger, manifest.Path, manifest.Size, manifest.Chunks.Count, manifest.Revision);
        // Objects of failed attempts (and all of a stream found to be a duplicate after it was stored) are not needed.
        await reclaimer.DiscardUnusedAsync(upload, manifest);

        if (existing is not null)
        {
            await reclaimer.RetireAsync(existing, manifest);
        }

        pool.FileEvents.Publish(PoolEventType.PostUpload, manifest, duplicate is null ? null : $"duplicate of {duplicate.Path}: no new chunks stored");
        return PoolEntry.Of(manifest) with { DuplicateOf = duplicate is null ? null : PoolPath.Parse(duplicate.Path) };
    }

    /// <summary>The lowest format that describes the chunks: older readers refuse what they would misread.</summary>
    private static int FormatVersionOf(List<ChunkEntry> chunks) =>
        chunks.Any(c => ChunkCodec.TryParse(c.Codec, out var codec) && codec.PluginIds.Any()) ? Manifest.PluginCodecFormatVersion
        : chunks.Any(c => c.Locations.Any(l => ManifestNames.IsContentAddressed(l.Object))) ? Manifest.DedupFormatVersion
        : chunks.Any(c => c.IsCompressed) ? Manifest.CompressedFormatVersion
        : chunks.Any(c => c.Inline is not null) ? Manifest.InlineFormatVersion
        : Manifest.BaseFormatVersion;

    private static bool UsesZstd(ChunkEntry chunk) => ChunkCodec.TryParse(chunk.Codec, out var codec) && codec.Compression == ChunkCodec.Zstd;

    /// <summary>Refuses a path below a file (a file cannot hold entries).</summary>
    public async Task EnsureNoFileAboveAsync(PoolPath path, CancellationToken cancellationToken)
    {
        for (var parent = path.Parent; !parent.IsRoot; parent = parent.Parent)
        {
            var manifest = await pool.Index.GetAsync(parent, cancellationToken);
            if (manifest is { Kind: EntryKind.File })
            {
                throw PoolErrors.ParentIsFile(path, parent);
            }
        }
    }

    /// <summary>Checks that a file may be written at <paramref name="path"/> and returns what it replaces.</summary>
    private async Task<Manifest?> PrepareWriteAsync(PoolPath path, PutOptions options, CancellationToken cancellationToken)
    {
        if (path.IsRoot)
        {
            throw new PoolException(PoolErrorKind.BadInput, "The pool root is a directory; give a file path such as /backups/file.mkv.");
        }

        if (!options.ParentIsDirectory)
        {
            await EnsureNoFileAboveAsync(path, cancellationToken);
        }

        var (existing, exists) = await pool.Index.LookupAsync(path, cancellationToken);
        if (existing is null && exists)
        {
            throw PoolErrors.IsDirectory(path);
        }

        if (existing is not null)
        {
            if (existing.Kind == EntryKind.Directory)
            {
                throw PoolErrors.IsDirectory(path);
            }

            if (!options.Overwrite)
            {
                throw PoolErrors.Exists(path);
            }
        }

        return existing;
    }

    /// <summary>A local file: chunks are read in place through one handle, concurrently, and hashed as they upload.</summary>
    private async Task<(List<ChunkEntry> Chunks, long Size, string Sha256)> UploadFileAsync(FileStream file, long length, ChunkingPolicy chunking, UploadContext upload, CancellationToken cancellationToken)
    {
        var start = file.Position;
        var stampBefore = File.GetLastWriteTimeUtc(file.Name);
        if (length is > 0 and <= InlineMaxBytes && pool.Codecs.AllowsInline)
        {
            var bytes = new byte[length];
            var read = await RandomAccess.ReadAsync(file.SafeFileHandle, bytes, start, cancellationToken);
            if (read != length || File.GetLastWriteTimeUtc(file.Name) != stampBefore)
            {
                throw ChangedDuringUpload(file);
            }

            upload.ReportProgress((int)length);
            return ([InlineChunk(bytes)], length, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }

        upload.Placement.EnsureRoomFor(chunks.StoredObjects(length, upload.Policy, chunking));

        var handle = file.SafeFileHandle;

        // A file of one chunk has the chunk's SHA-256: no second pass over it (most files of a directory are one chunk).
        // A file of content-defined chunks is hashed by the scan that finds them, which reads every byte in order anyway.
        // Else the whole-file hash waits until a chunk is stored or every chunk is on its way: it is needed only for the
        // manifest, and at the start it would take a core from reading, hashing and sending the first chunks, which is
        // when every remote still waits for its first bytes (on network remotes the transfers are not CPU-bound after that).
        var firstStored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var hashing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var scanHash = length > chunking.SingleChunkMax && chunking.IsContentDefined ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        var scanHashed = new StrongBox<long>();
        var wholeFileHash = length <= chunking.SingleChunkMax || scanHash is not null ? null
            : Task.Run(async () =>
            {
                await firstStored.Task.WaitAsync(hashing.Token);
                return await FileRangeHash.Sha256Async(handle, start, length, hashing.Token);
            }, hashing.Token);
        var entries = new ConcurrentDictionary<int, ChunkEntry>();

        // Fixed chunks are known at once; content-defined ones as a scan of the file finds them (chunking.RangesAsync).
        var found = scanHash is not null ? chunking.ScannedRangesAsync(handle, start, length, scanHash, scanHashed, cancellationToken)
            : chunking.RangesAsync(handle, start, length, cancellationToken);
        var ranges = ThenSignalAsync(found, firstStored);
        try
        {
            await Parallel.ForEachAsync(ranges, new ParallelOptions { MaxDegreeOfParallelism = upload.Workers, CancellationToken = cancellationToken }, async (range, ct) =>
            {
                entries[range.Index] = await chunks.WriteAsync(range.Index, range.Offset, range.Length, () => new FileRangeStream(handle, start + range.Offset, range.Length), upload, ct);
                firstStored.TrySetResult();
                PoolLog.ChunkStored(pool.Logger, file.Name, range.Index, range.Length);
            });
        }
        catch
        {
            // A failed upload needs no whole-file hash.
            await hashing.CancelAsync();
            throw;
        }

        firstStored.TrySetResult();

        // The scan ended with the last chunk handed out (Parallel.ForEachAsync read the enumeration to its end), so its
        // hash has seen every byte it read; a file that ended early is refused below (its length changed).
        var sha256 = scanHash is not null ? Convert.ToHexStringLower(scanHash.GetHashAndReset())
            : wholeFileHash is not null ? await wholeFileHash
            : entries.Count == 1 && entries.TryGetValue(0, out var only) && only.Offset == 0 && only.Length == length ? only.Sha256
            : await FileRangeHash.Sha256Async(handle, start, length, cancellationToken);
        if (File.GetLastWriteTimeUtc(file.Name) != stampBefore || RandomAccess.GetLength(handle) - start != length || (scanHash is not null && scanHashed.Value != length))
        {
            throw ChangedDuringUpload(file);
        }

        return ([.. entries.OrderBy(e => e.Key).Select(e => e.Value)], length, sha256);
    }

    /// <summary>The ranges of <paramref name="source"/>, then <paramref name="done"/> set once the last was handed out.</summary>
    private static async IAsyncEnumerable<ChunkRange> ThenSignalAsync(IAsyncEnumerable<ChunkRange> source, TaskCompletionSource done)
    {
        await foreach (var range in source)
        {
            yield return range;
        }

        done.TrySetResult();
    }

    private static PoolException ChangedDuringUpload(FileStream file) =>
        new(PoolErrorKind.Conflict, $"{file.Name} changed while it was being uploaded; upload it again when nothing writes to it.");

    /// <summary>
    /// A stream read once (stdin, an HTTP body): each chunk is spooled (to memory for small chunks, else to
    /// <c>temp_dir</c>) while the whole-file hash runs, then uploaded by a worker while the next chunk spools.
    /// </summary>
    private async Task<(List<ChunkEntry> Chunks, long Size, string Sha256)> UploadStreamAsync(Stream content, long length, ChunkingPolicy chunking, UploadContext upload, CancellationToken cancellationToken)
    {
        if (length >= 0)
        {
            upload.Placement.EnsureRoomFor(chunks.StoredObjects(length, upload.Policy, chunking));
        }

        using var fileHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var chunker = chunking.ForStream(content, pool.Config.TempDir, fileHash, length);
        using var slots = new SemaphoreSlim(upload.Workers);
        using var failure = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var uploads = new List<Task<ChunkEntry>>();
        long total = 0;
        try
        {
            for (var index = 0; ; index++)
            {
                await slots.WaitAsync(failure.Token);
                var spool = await chunker.NextAsync(failure.Token);
                if (spool.Length == 0)
                {
                    await spool.DisposeAsync();
                    slots.Release();
                    break;
                }

                var offset = total;
                total += spool.Length;
                if (length >= 0 && total > length)
                {
                    await spool.DisposeAsync();
                    throw new PoolException(PoolErrorKind.BadInput, $"The upload sent more than the announced {length} bytes; nothing was stored.");
                }

                if (index == 0 && spool.Length <= InlineMaxBytes && chunker.Ended && (length < 0 || length == spool.Length) && pool.Codecs.AllowsInline)
                {
                    // A small file lives inside its manifest: no chunk object, no upload call.
                    await using (spool)
                    {
                        await using var bytes = spool.OpenRead();
                        var data = new byte[spool.Length];
                        await bytes.ReadExactlyAsync(data, failure.Token);
                        upload.ReportProgress(data.Length);
                        slots.Release();
                        return ([InlineChunk(data)], total, Convert.ToHexStringLower(fileHash.GetHashAndReset()));
                    }
                }

                var chunkIndex = index;
                uploads.Add(Task.Run(async () =>
                {
                    try
                    {
                        return await chunks.WriteAsync(chunkIndex, offset, spool.Length, spool.OpenRead, upload, failure.Token);
                    }
                    catch
                    {
                        await failure.CancelAsync();
                        throw;
                    }
                    finally
                    {
                        await spool.DisposeAsync();
                        slots.Release();
                    }
                }, CancellationToken.None));

                if (chunker.Ended)
                {
                    break;
                }
            }

            if (length >= 0 && total != length)
            {
                throw new PoolException(PoolErrorKind.BadInput, $"The upload ended after {total} of {length} bytes; nothing was stored.");
            }

            var entries = await Task.WhenAll(uploads);
            return ([.. entries], total, Convert.ToHexStringLower(fileHash.GetHashAndReset()));
        }
        catch (Exception e)
        {
            await failure.CancelAsync();
            await Task.WhenAll(uploads.Select(u => u.ContinueWith(_ => { }, TaskScheduler.Default)));

            // Reading on was cancelled because a chunk failed: that chunk's error is the one to report.
            if (e is OperationCanceledException && !cancellationToken.IsCancellationRequested
                && uploads.Select(u => u.Exception?.InnerException).FirstOrDefault(x => x is not null and not OperationCanceledException) is { } cause)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cause);
            }

            throw;
        }
    }

    private ChunkEntry InlineChunk(byte[] data)
    {
        using var hasher = new ChunkHasher(pool.Chunking.BlockSize);
        hasher.Append(data);
        var (sha, blocks) = hasher.Complete();
        return new ChunkEntry { Index = 0, Offset = 0, Length = data.Length, Sha256 = sha, BlockHashes = blocks, Locations = [], Inline = Convert.ToBase64String(data) };
    }
}
