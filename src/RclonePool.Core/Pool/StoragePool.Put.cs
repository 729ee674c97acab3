using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using RclonePool.Core.Chunking;
using RclonePool.Core.Errors;
using RclonePool.Core.Events;
using RclonePool.Core.Integrity;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Placement;
using RclonePool.Core.Redundancy;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Pool;

public sealed partial class StoragePool
{
    private async Task<PoolEntry> PutCoreAsync(PoolPath path, Stream content, long length, PutOptions options, CancellationToken cancellationToken)
    {
        var existing = await PrepareWriteAsync(path, options.Overwrite, cancellationToken);
        if (Events.HasSubscribers)
        {
            Events.Publish(new PoolEvent { Type = PoolEventType.PreUpload, Path = path.Value, TotalBytes = length >= 0 ? length : null });
        }

        var placement = await NewPlacementAsync(cancellationToken);
        var upload = new UploadContext(placement, Workers(options.Workers), ProgressEvents("upload", path, length, options.Progress), Redundancy);

        Manifest manifest;
        byte[] serialized;
        Manifest? duplicate = null;
        try
        {
            // Duplicate detection (StoragePool.Dedup.cs): a local file is hashed first when a file of its size exists.
            duplicate = await FindDuplicateOfFileAsync(content, length, existing, cancellationToken);
            var (chunks, size, sha256) = duplicate is not null ? ([], duplicate.Size, duplicate.Sha256!)
                : content is FileStream { CanSeek: true } file && length >= 0
                ? await UploadFileAsync(file, length, upload, cancellationToken)
                : await UploadStreamAsync(content, length, upload, cancellationToken);
            duplicate ??= await FindDuplicateOfContentAsync(size, sha256, existing, cancellationToken);

            var now = _time.GetUtcNow();
            manifest = duplicate is not null ? BorrowingManifest(path, existing, duplicate, options) : new Manifest
            {
                PoolId = PoolId,
                FileId = existing?.FileId ?? ManifestNames.NewId(),
                Revision = (existing?.Revision ?? 0) + 1,
                Kind = EntryKind.File,
                Path = path.Value,
                Size = size,
                Created = existing?.Created ?? now,
                Modified = options.Modified ?? now,
                Written = now,
                Sha256 = sha256,
                ChunkSize = Config.ChunkSize,
                BlockSize = ChunkLayout.BlockSizeFor(Config.ChunkSize),
                FormatVersion = chunks.Any(c => c.Inline is not null) ? Manifest.InlineFormatVersion : Manifest.BaseFormatVersion,
                Redundancy = upload.Policy.ToSpec(),
                Chunks = chunks,
                Properties = existing?.Properties,
            };
            serialized = await Manifests.WriteAsync(manifest, cancellationToken);
        }
        catch
        {
            await DiscardAsync(upload, upload.Written.Keys, "an upload that did not complete");
            throw;
        }

        await _index.PutAsync(manifest, serialized, cancellationToken);
        PoolLog.Stored(_logger, manifest.Path, manifest.Size, manifest.Chunks.Count, manifest.Revision);
        // Objects of failed attempts (and all of a stream found to be a duplicate after it was stored) are not needed.
        await DiscardUnusedAsync(upload, manifest);

        if (existing is not null)
        {
            await RetireAsync(existing, manifest);
        }

        Publish(PoolEventType.PostUpload, manifest, duplicate is null ? null : $"duplicate of {duplicate.Path}: no new chunks stored");
        return ToEntry(manifest) with { DuplicateOf = duplicate is null ? null : PoolPath.Parse(duplicate.Path) };
    }

    /// <summary>Checks that a file may be written at <paramref name="path"/> and returns what it replaces.</summary>
    private async Task<Manifest?> PrepareWriteAsync(PoolPath path, bool overwrite, CancellationToken cancellationToken)
    {
        if (path.IsRoot)
        {
            throw new PoolException(PoolErrorKind.BadInput, "The pool root is a directory; give a file path such as /backups/file.mkv.");
        }

        await EnsureNoFileAboveAsync(path, cancellationToken);
        var (existing, exists) = await _index.LookupAsync(path, cancellationToken);
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

            if (!overwrite)
            {
                throw PoolErrors.Exists(path);
            }
        }

        return existing;
    }

    private async Task EnsureNoFileAboveAsync(PoolPath path, CancellationToken cancellationToken)
    {
        for (var parent = path.Parent; !parent.IsRoot; parent = parent.Parent)
        {
            var manifest = await _index.GetAsync(parent, cancellationToken);
            if (manifest is { Kind: EntryKind.File })
            {
                throw PoolErrors.ParentIsFile(path, parent);
            }
        }
    }

    /// <summary>A local file: chunks are read in place through one handle, concurrently, and hashed as they upload.</summary>
    private async Task<(List<ChunkEntry> Chunks, long Size, string Sha256)> UploadFileAsync(FileStream file, long length, UploadContext upload, CancellationToken cancellationToken)
    {
        var start = file.Position;
        var stampBefore = File.GetLastWriteTimeUtc(file.Name);
        if (length is > 0 and <= InlineMaxBytes)
        {
            var bytes = new byte[length];
            var read = await RandomAccess.ReadAsync(file.SafeFileHandle, bytes, start, cancellationToken);
            if (read != length || File.GetLastWriteTimeUtc(file.Name) != stampBefore)
            {
                throw new PoolException(PoolErrorKind.Conflict, $"{file.Name} changed while it was being uploaded; upload it again when nothing writes to it.");
            }

            upload.ReportProgress((int)length);
            return ([InlineChunk(bytes)], length, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }

        var count = ChunkLayout.ChunkCount(length, Config.ChunkSize);
        upload.Placement.EnsureRoomFor(StoredObjects(length, upload.Policy));

        var handle = file.SafeFileHandle;
        var wholeFileHash = Task.Run(() => HashRangeAsync(handle, start, length, cancellationToken), cancellationToken);
        var chunks = new ChunkEntry[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = upload.Workers, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var (offset, chunkLength) = ChunkLayout.Chunk(length, Config.ChunkSize, i);
            chunks[i] = await UploadChunkAsync(i, offset, chunkLength, () => new FileRangeStream(handle, start + offset, chunkLength), upload, ct);
        });

        var sha256 = await wholeFileHash;
        if (File.GetLastWriteTimeUtc(file.Name) != stampBefore || RandomAccess.GetLength(handle) - start != length)
        {
            throw new PoolException(PoolErrorKind.Conflict, $"{file.Name} changed while it was being uploaded; upload it again when nothing writes to it.");
        }

        return ([.. chunks], length, sha256);
    }

    /// <summary>
    /// A stream read once (stdin, an HTTP body): each chunk is spooled (to memory for small chunks, else to
    /// <c>temp_dir</c>) while the whole-file hash runs, then uploaded by a worker while the next chunk spools.
    /// </summary>
    private async Task<(List<ChunkEntry> Chunks, long Size, string Sha256)> UploadStreamAsync(Stream content, long length, UploadContext upload, CancellationToken cancellationToken)
    {
        if (length >= 0)
        {
            upload.Placement.EnsureRoomFor(StoredObjects(length, upload.Policy));
        }

        using var fileHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var slots = new SemaphoreSlim(upload.Workers);
        using var failure = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var uploads = new List<Task<ChunkEntry>>();
        long total = 0;
        try
        {
            for (var index = 0; ; index++)
            {
                await slots.WaitAsync(failure.Token);
                var spool = await ChunkSpool.FillAsync(content, Config.ChunkSize, Config.TempDir, fileHash, failure.Token, length);
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

                if (index == 0 && spool.Length <= InlineMaxBytes && spool.Length < Config.ChunkSize && (length < 0 || length == spool.Length))
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
                        return await UploadChunkAsync(chunkIndex, offset, spool.Length, spool.OpenRead, upload, failure.Token);
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

                if (spool.Length < Config.ChunkSize)
                {
                    break;
                }
            }

            if (length >= 0 && total != length)
            {
                throw new PoolException(PoolErrorKind.BadInput, $"The upload ended after {total} of {length} bytes; nothing was stored.");
            }

            var chunks = await Task.WhenAll(uploads);
            return ([.. chunks], total, Convert.ToHexStringLower(fileHash.GetHashAndReset()));
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

    /// <summary>Files up to this size live inside their manifest (written to every remote anyway): one call per remote, none for data.</summary>
    public const int InlineMaxBytes = 4096;

    private ChunkEntry InlineChunk(byte[] data)
    {
        using var hasher = new ChunkHasher(ChunkLayout.BlockSizeFor(Config.ChunkSize));
        hasher.Append(data);
        var (sha, blocks) = hasher.Complete();
        return new ChunkEntry { Index = 0, Offset = 0, Length = data.Length, Sha256 = sha, BlockHashes = blocks, Locations = [], Inline = Convert.ToBase64String(data) };
    }

    /// <summary>Stores one chunk as the redundancy policy says: one object, whole copies, or a parity stripe.</summary>
    private Task<ChunkEntry> UploadChunkAsync(int index, long offset, long length, Func<Stream> openSource, UploadContext upload, CancellationToken cancellationToken)
    {
        var scheme = upload.Policy.SchemeFor(length, ChunkLayout.BlockSizeFor(Config.ChunkSize));
        return scheme.Kind switch
        {
            ChunkSchemeKind.Striped => UploadStripedChunkAsync(index, offset, length, openSource, scheme, upload, cancellationToken),
            ChunkSchemeKind.Replicated => UploadReplicatedChunkAsync(index, offset, length, openSource, scheme.Copies, upload, cancellationToken),
            _ => UploadSingleChunkAsync(index, offset, length, openSource, upload, cancellationToken),
        };
    }

    private async Task<ChunkEntry> UploadSingleChunkAsync(int index, long offset, long length, Func<Stream> openSource, UploadContext upload, CancellationToken cancellationToken)
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

    /// <summary>
    /// Stores one object of a chunk under a fresh object id on a remote no other object of the chunk uses: retries
    /// transient failures on the same remote, then moves on to another remote with room, excluding the failing one
    /// for the rest of the operation. Hashes (and reports progress for) the bytes when <paramref name="hash"/> is set.
    /// </summary>
    private async Task<StoredCopy> StoreCopyAsync(int index, long length, Func<Stream> openSource, bool hash, UploadContext upload, RemoteClaims claims, CancellationToken cancellationToken)
    {
        var blockSize = ChunkLayout.BlockSizeFor(Config.ChunkSize);
        while (true)
        {
            string remoteName;
            try
            {
                remoteName = claims.Reserve(upload.Placement, length);
            }
            catch (PoolException e) when (e.Kind == PoolErrorKind.NoSpace && !upload.Failures.IsEmpty)
            {
                throw NoRemoteTook(index, upload, e);
            }

            var remote = _remotesByName[remoteName];
            try
            {
                return await _retry.ExecuteAsync(async ct =>
                {
                    if (upload.Failures.TryGetValue(remoteName, out var gaveUp))
                    {
                        // Another chunk of this upload gave up on the remote: do not wait out its retries as well.
                        throw new PoolException(PoolErrorKind.Remote, gaveUp.Message, gaveUp);
                    }

                    // A failed attempt may leave a truncated object: it stays in Written and is removed after the upload.
                    var objectPath = Layout.ChunkObject(ManifestNames.NewId());
                    var target = new RemotePath(remote.Storage, objectPath);
                    upload.Written.TryAdd((remote, objectPath), 0);
                    using var hasher = hash ? new ChunkHasher(blockSize) : null;
                    long sent;
                    await using (var source = openSource())
                    {
                        await using var counted = new HashingReadStream(source, hasher, hash ? upload.ReportProgress : null);
                        await _store.WriteAsync(target, counted, length, ct);
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
                upload.Placement.Exclude(remoteName);
                upload.Failures.TryAdd(remoteName, e);
                _logger.LogWarning("Storing chunk {Index} on {Remote} failed ({Error}); trying another remote.", index, remote.Name, e.Message);
            }
        }
    }

    /// <summary>
    /// No remote is left for a chunk because remotes failed: the error names each failing remote and why, and takes
    /// the failures' kind when every remote failed (permission, quota, unreachable), else "no space".
    /// </summary>
    private PoolException NoRemoteTook(int index, UploadContext upload, PoolException noRoom)
    {
        var failures = upload.Failures.OrderBy(f => f.Key, StringComparer.Ordinal).ToList();
        var kinds = failures.Select(f => f.Value.Kind).Distinct().ToList();
        var kind = failures.Count == Remotes.Count && kinds.Count == 1 ? kinds[0] : PoolErrorKind.NoSpace;
        var why = string.Join(" ", failures.Select(f => $"{f.Key} failed: {f.Value.Message.TrimEnd('.')}."));
        return new PoolException(kind, $"No remote could store chunk {index}. {why}{(kind == PoolErrorKind.NoSpace ? " " + noRoom.Message : "")}", noRoom);
    }

    private static async Task<string> HashRangeAsync(Microsoft.Win32.SafeHandles.SafeFileHandle handle, long start, long length, CancellationToken cancellationToken)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            long done = 0;
            while (done < length)
            {
                var want = (int)Math.Min(buffer.Length, length - done);
                var read = await RandomAccess.ReadAsync(handle, buffer.AsMemory(0, want), start + done, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                sha.AppendData(buffer, 0, read);
                done += read;
            }

            return Convert.ToHexStringLower(sha.GetHashAndReset());
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>After a new revision is durable: removes the old revision's manifests and the chunks only it used.</summary>
    private async Task RetireAsync(Manifest old, Manifest replacement)
    {
        if (!await Manifests.DeleteRevisionAsync(old.FileId, old.Revision, CancellationToken.None))
        {
            return; // a copy of the old revision remains and still names its chunks: 'orphans' removes both later
        }

        var kept = replacement.Chunks.SelectMany(c => c.Locations).Select(l => (l.Remote, l.Object)).ToHashSet();
        var unused = old.Chunks.SelectMany(c => c.Locations)
            .Where(l => !kept.Contains((l.Remote, l.Object)))
            .Select(l => (RemoteOf(l), l.Object));
        await ReleaseChunksAsync(old, unused, $"the previous version of {old.Path}");
    }

    /// <summary>
    /// After an upload: removes what its attempts wrote that the manifest does not name. Remotes that failed with a
    /// transient error (unreachable) are not asked again: what they may hold is left to 'orphans'.
    /// </summary>
    private async Task DiscardUnusedAsync(UploadContext upload, Manifest manifest)
    {
        if (upload.Written.IsEmpty)
        {
            return; // a file inside its manifest, or a duplicate found before anything was stored
        }

        var used = manifest.Chunks.SelectMany(c => c.Locations).Select(l => (l.Remote, l.Object)).ToHashSet();
        await DiscardAsync(upload, upload.Written.Keys.Where(o => !used.Contains((o.Remote.Name, o.Object))), $"the upload of {manifest.Path}");
    }

    /// <summary>
    /// Removes objects an upload wrote. On a remote that failed transiently in this upload, one delete is tried first,
    /// without retries: when the remote still does not answer, the rest is left to 'orphans' instead of waiting on it.
    /// </summary>
    private async Task DiscardAsync(UploadContext upload, IEnumerable<(PoolRemote Remote, string Object)> objects, string what)
    {
        var deletable = new List<(PoolRemote Remote, string Object)>();
        foreach (var group in objects.GroupBy(o => o.Remote))
        {
            var items = group.ToList();
            if (upload.Failures.TryGetValue(group.Key.Name, out var failure) && failure.Kind == PoolErrorKind.Transient)
            {
                try
                {
                    await _storeOnce.DeleteAsync(new RemotePath(group.Key.Storage, items[0].Object), CancellationToken.None);
                    items.RemoveAt(0);
                }
                catch (PoolException e)
                {
                    _logger.LogWarning("{Remote} still fails ({Error}); {Count} objects from {What} are left there for 'rclonepool orphans --delete'.", group.Key.Name, e.Message, items.Count, what);
                    continue;
                }
            }

            deletable.AddRange(items);
        }

        await DeleteObjectsAsync(deletable, what);
    }

    /// <summary>Best-effort removal of chunk objects; what cannot be removed is left for 'orphans'.</summary>
    private async Task DeleteObjectsAsync(IEnumerable<(PoolRemote Remote, string Object)> objects, string what)
    {
        var distinct = objects.Distinct().ToList();
        if (distinct.Count == 0)
        {
            return;
        }

        await Parallel.ForEachAsync(distinct, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (o, _) =>
        {
            try
            {
                await _store.DeleteAsync(new RemotePath(o.Remote.Storage, o.Object), CancellationToken.None);
            }
            catch (PoolException e)
            {
                _logger.LogWarning("Could not remove {Object} on {Remote} from {What} ({Error}); 'rclonepool orphans --delete' will.", o.Object, o.Remote.Name, what, e.Message);
            }
        });
    }

    /// <summary>State shared by the chunk uploads of one file.</summary>
    private sealed class UploadContext(PlacementSession placement, int workers, IProgress<long>? progress, RedundancyPolicy policy)
    {
        private long _reported;

        /// <summary>How each chunk of this upload is stored.</summary>
        public RedundancyPolicy Policy { get; } = policy;

        public PlacementSession Placement { get; } = placement;

        public int Workers { get; } = workers;

        /// <summary>Remotes taken out of this operation, with the failure that did it.</summary>
        public ConcurrentDictionary<string, PoolException> Failures { get; } = new(StringComparer.Ordinal);

        /// <summary>Every object an attempt wrote to (or may have), so a failed upload can remove them.</summary>
        public ConcurrentDictionary<(PoolRemote Remote, string Object), byte> Written { get; } = new();

        public void ReportProgress(int bytes)
        {
            if (progress is not null)
            {
                progress.Report(Interlocked.Add(ref _reported, bytes));
            }
        }
    }
}
