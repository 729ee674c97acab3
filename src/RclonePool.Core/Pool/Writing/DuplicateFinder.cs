using RclonePool.Core.Errors;
using RclonePool.Core.Integrity;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;

namespace RclonePool.Core.Pool.Writing;

/// <summary>
/// Duplicate detection (<c>enable_duplicate_detection</c>): an upload whose content (SHA-256) matches a file already
/// in the pool stores no chunks of its own; its manifest names the existing file's chunk objects.
/// <list type="bullet">
/// <item>A local file (seekable) is hashed before anything is uploaded, but only when the index holds a file of the
/// same size: most uploads cost one indexed lookup and no extra read.</item>
/// <item>A stream read once (stdin, a WebDAV PUT) is only hashed as it uploads: when it turns out to be a duplicate,
/// the manifest names the existing chunks and the chunks just written are removed again.</item>
/// <item>Before borrowing, a shared-content marker is written and the chunks are checked to exist. A file whose
/// content has a marker never has its chunks removed by delete or overwrite: <c>rclonepool orphans</c>, which reads
/// every manifest on every remote, removes them once nothing references them.</item>
/// <item>When every object of the file found is content-addressed (<c>enable_deduplication</c>), delete and overwrite
/// never remove them anyway: a content claim on one remote stands in for the marker on every remote, as for a reused
/// chunk (<see cref="ContentClaims"/>; the sweep keeps what a young claim names), and goes once the manifest is durable.</item>
/// <item>Files small enough to live inside their manifest (<see cref="FileUploader.InlineMaxBytes"/>) own no chunks to
/// share, so they are never looked up: borrowing would only add a marker write per remote.</item>
/// </list>
/// </summary>
internal sealed class DuplicateFinder(PoolContext pool, SharedContentMarkers markers, ContentClaims claims)
{
    private const int Candidates = 64;

    /// <summary>Before uploading a local file: the file already in the pool with the same content, or null.</summary>
    public async Task<Manifest?> FindForFileAsync(Stream content, long length, Manifest? existing, UploadContext upload, CancellationToken cancellationToken)
    {
        if (!pool.Config.EnableDuplicateDetection || length <= FileUploader.InlineMaxBytes || content is not FileStream { CanSeek: true } file)
        {
            return null;
        }

        if (!await pool.Index.AnyFileOfSizeAsync(length, cancellationToken))
        {
            return null;
        }

        var stamp = File.GetLastWriteTimeUtc(file.Name);
        var sha256 = await FileRangeHash.Sha256Async(file.SafeFileHandle, file.Position, length, cancellationToken);
        var candidates = await pool.Index.FilesWithContentAsync(length, sha256, Candidates, cancellationToken);
        var duplicate = candidates.Count == 0 ? null : await BorrowAsync(candidates, sha256, existing, upload, cancellationToken);
        if (duplicate is not null && File.GetLastWriteTimeUtc(file.Name) != stamp)
        {
            throw new PoolException(PoolErrorKind.Conflict, $"{file.Name} changed while it was being read; upload it again when nothing writes to it.");
        }

        return duplicate;
    }

    /// <summary>After uploading a stream: the file already in the pool with the same content, or null.</summary>
    public async Task<Manifest?> FindForContentAsync(long size, string sha256, Manifest? existing, UploadContext upload, CancellationToken cancellationToken)
    {
        if (!pool.Config.EnableDuplicateDetection || size <= FileUploader.InlineMaxBytes)
        {
            return null;
        }

        var candidates = await pool.Index.FilesWithContentAsync(size, sha256, Candidates, cancellationToken);
        return candidates.Count == 0 ? null : await BorrowAsync(candidates, sha256, existing, upload, cancellationToken);
    }

    /// <summary>The manifest of an upload that borrows the chunks of <paramref name="duplicate"/>.</summary>
    public Manifest BorrowingManifest(PoolPath path, Manifest? existing, Manifest duplicate, PutOptions options)
    {
        var now = pool.Time.GetUtcNow();
        return duplicate with
        {
            FileId = existing?.FileId ?? ManifestNames.NewId(),
            Revision = (existing?.Revision ?? 0) + 1,
            Path = path.Value,
            Created = existing?.Created ?? now,
            Modified = options.Modified ?? now,
            Written = now,
            Properties = existing?.Properties,
        };
    }

    /// <summary>
    /// Picks a file with the content among <paramref name="sameSize"/> whose chunks can be borrowed: the marker (or the
    /// claim) is written first, then the candidate is checked to still be current (a delete or overwrite that raced us
    /// would see the marker, or we see its change and do not borrow), then its chunks are checked to exist.
    /// </summary>
    private async Task<Manifest?> BorrowAsync(IReadOnlyList<Manifest> sameSize, string sha256, Manifest? existing, UploadContext upload, CancellationToken cancellationToken)
    {
        foreach (var candidate in sameSize.Where(m => m.Sha256 == sha256 && m.Kind == EntryKind.File).OrderByDescending(m => m.FileId == existing?.FileId))
        {
            if (candidate.FileId != existing?.FileId)
            {
                if (!await ProtectAsync(candidate, upload, cancellationToken))
                {
                    return null;
                }

                if ((await pool.Index.GetByIdAsync(candidate.FileId, cancellationToken))?.Revision != candidate.Revision)
                {
                    continue;
                }
            }

            if (await AllChunksPresentAsync(candidate, cancellationToken))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// Keeps the candidate's objects from being removed while this upload comes to name them: a claim when every one is
    /// content-addressed (only the sweep removes those, and it keeps what a young claim names), else a shared-content
    /// marker on every remote (delete and overwrite check it). False when neither could be written.
    /// </summary>
    private async Task<bool> ProtectAsync(Manifest candidate, UploadContext upload, CancellationToken cancellationToken)
    {
        var locations = candidate.Chunks.SelectMany(c => c.Locations).ToList();
        if (locations.Count > 0 && locations.All(l => ManifestNames.IsContentAddressed(l.Object) && pool.Remotes.TryGet(l.Remote, out _)))
        {
            return await claims.ClaimAsync(upload, [.. locations.Select(l => (pool.Remote(l.Remote), l.Object)).Distinct()], cancellationToken);
        }

        return await markers.WriteAsync(candidate, cancellationToken);
    }

    /// <summary>True when every chunk object of the file exists with its stored size (one stat per object).</summary>
    private async Task<bool> AllChunksPresentAsync(Manifest manifest, CancellationToken cancellationToken)
    {
        var present = true;
        await Parallel.ForEachAsync(manifest.Chunks.SelectMany(c => c.Locations.Select(l => (Chunk: c, Location: l))), new ParallelOptions { MaxDegreeOfParallelism = PoolContext.MetadataParallelism, CancellationToken = cancellationToken }, async (item, ct) =>
        {
            if (!Volatile.Read(ref present))
            {
                return;
            }

            try
            {
                var entry = await pool.Store.StatAsync(pool.PathOf(item.Location), ct);
                if (entry is null || ChunkCheck.BySize(item.Chunk, item.Location, entry.Size) is not null)
                {
                    Volatile.Write(ref present, false);
                }
            }
            catch (PoolException)
            {
                Volatile.Write(ref present, false);
            }
        });
        return present;
    }
}
