using System.Text.Json;
using Microsoft.Extensions.Logging;
using RclonePool.Core.Errors;
using RclonePool.Core.Jobs;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Pool;

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
/// <item>Files small enough to live inside their manifest (<see cref="InlineMaxBytes"/>) own no chunks to share, so
/// they are never looked up: borrowing would only add a marker write per remote.</item>
/// </list>
/// </summary>
public sealed partial class StoragePool
{
    private const int DuplicateCandidates = 64;

    /// <summary>Before uploading a local file: the file already in the pool with the same content, or null.</summary>
    private async Task<Manifest?> FindDuplicateOfFileAsync(Stream content, long length, Manifest? existing, CancellationToken cancellationToken)
    {
        if (!Config.EnableDuplicateDetection || length <= InlineMaxBytes || content is not FileStream { CanSeek: true } file)
        {
            return null;
        }

        if (!await _index.AnyFileOfSizeAsync(length, cancellationToken))
        {
            return null;
        }

        var stamp = File.GetLastWriteTimeUtc(file.Name);
        var sha256 = await HashRangeAsync(file.SafeFileHandle, file.Position, length, cancellationToken);
        var candidates = await _index.FilesWithContentAsync(length, sha256, DuplicateCandidates, cancellationToken);
        var duplicate = candidates.Count == 0 ? null : await BorrowAsync(candidates, sha256, existing, cancellationToken);
        if (duplicate is not null && File.GetLastWriteTimeUtc(file.Name) != stamp)
        {
            throw new PoolException(PoolErrorKind.Conflict, $"{file.Name} changed while it was being read; upload it again when nothing writes to it.");
        }

        return duplicate;
    }

    /// <summary>After uploading a stream: the file already in the pool with the same content, or null.</summary>
    private async Task<Manifest?> FindDuplicateOfContentAsync(long size, string sha256, Manifest? existing, CancellationToken cancellationToken)
    {
        if (!Config.EnableDuplicateDetection || size <= InlineMaxBytes)
        {
            return null;
        }

        var candidates = await _index.FilesWithContentAsync(size, sha256, DuplicateCandidates, cancellationToken);
        return candidates.Count == 0 ? null : await BorrowAsync(candidates, sha256, existing, cancellationToken);
    }

    /// <summary>
    /// Picks a file with the content among <paramref name="sameSize"/> whose chunks can be borrowed: the marker is
    /// written first, then the candidate is checked to still be current (a delete or overwrite that raced us would
    /// see the marker, or we see its change and do not borrow), then its chunks are checked to exist.
    /// </summary>
    private async Task<Manifest?> BorrowAsync(IReadOnlyList<Manifest> sameSize, string sha256, Manifest? existing, CancellationToken cancellationToken)
    {
        foreach (var candidate in sameSize.Where(m => m.Sha256 == sha256 && m.Kind == EntryKind.File).OrderByDescending(m => m.FileId == existing?.FileId))
        {
            if (candidate.FileId != existing?.FileId)
            {
                if (!await WriteSharedMarkerAsync(candidate, cancellationToken))
                {
                    return null;
                }

                if ((await _index.GetByIdAsync(candidate.FileId, cancellationToken))?.Revision != candidate.Revision)
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

    /// <summary>The manifest of an upload that borrows the chunks of <paramref name="duplicate"/>.</summary>
    private Manifest BorrowingManifest(PoolPath path, Manifest? existing, Manifest duplicate, PutOptions options)
    {
        var now = _time.GetUtcNow();
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

    private RemotePath SharedMarker(PoolRemote remote, string sha256) =>
        Layout.ManifestDirectory(remote).Child(PoolSurvey.SharedDirectory).Child(sha256 + ManifestNames.Extension);

    /// <summary>Writes (or refreshes) the content's marker on every remote; true when at least one remote holds it.</summary>
    private async Task<bool> WriteSharedMarkerAsync(Manifest candidate, CancellationToken cancellationToken)
    {
        var marker = new SharedContent
        {
            Sha256 = candidate.Sha256!,
            Size = candidate.Size,
            Objects = [.. candidate.Chunks.SelectMany(c => c.Locations).Select(l => new SharedObject(l.Remote, l.Object))],
            Written = _time.GetUtcNow(),
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(marker, SharedContentJsonContext.Default.SharedContent);
        var written = await Task.WhenAll(Remotes.Select(async remote =>
        {
            try
            {
                await _store.WriteBytesAsync(SharedMarker(remote, marker.Sha256), bytes, cancellationToken);
                return true;
            }
            catch (PoolException e)
            {
                _logger.LogWarning("Could not mark the content of {Path} as shared on {Remote} ({Error}).", candidate.Path, remote.Name, e.Message);
                return false;
            }
        }));
        return written.Any(w => w);
    }

    /// <summary>True when the content may be shared by several files (a marker exists, or some remote could not tell).</summary>
    private async Task<bool> MaybeSharedAsync(string sha256)
    {
        var answers = await Task.WhenAll(Remotes.Select(async remote =>
        {
            try
            {
                return await _store.StatAsync(SharedMarker(remote, sha256), CancellationToken.None) is not null;
            }
            catch (PoolException)
            {
                return true;
            }
        }));
        return answers.Any(a => a);
    }

    /// <summary>True when every chunk object of the file exists with its stored size (one stat per object).</summary>
    private async Task<bool> AllChunksPresentAsync(Manifest manifest, CancellationToken cancellationToken)
    {
        var present = true;
        await Parallel.ForEachAsync(manifest.Chunks.SelectMany(c => c.Locations.Select(l => (Chunk: c, Location: l))), new ParallelOptions { MaxDegreeOfParallelism = MetadataParallelism, CancellationToken = cancellationToken }, async (item, ct) =>
        {
            if (!Volatile.Read(ref present))
            {
                return;
            }

            try
            {
                var entry = await _store.StatAsync(new RemotePath(RemoteOf(item.Location).Storage, item.Location.Object), ct);
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

    /// <summary>
    /// Removes chunk objects an entry no longer uses, unless its content may be shared with another file: those are
    /// left for 'rclonepool orphans', which removes them once no manifest on any remote names them.
    /// </summary>
    private async Task ReleaseChunksAsync(Manifest owner, IEnumerable<(PoolRemote Remote, string Object)> objects, string what)
    {
        var unused = objects.Distinct().ToList();
        if (unused.Count == 0)
        {
            return;
        }

        if (owner.Sha256 is { } sha256 && await MaybeSharedAsync(sha256))
        {
            _logger.LogInformation("Kept {Count} chunk objects of {What}: its content is shared with another file; 'rclonepool orphans --delete' removes them when nothing uses them.", unused.Count, what);
            return;
        }

        await DeleteObjectsAsync(unused, what);
    }
}
