using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RclonePool.Core.Caching;
using RclonePool.Core.Chunking;
using RclonePool.Core.Errors;
using RclonePool.Core.Events;
using RclonePool.Core.Integrity;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Core.Pool.Reading;
using RclonePool.Core.Pool.Scanning;
using RclonePool.Core.Pool.Writing;
using RclonePool.Core.Redundancy;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Jobs;

/// <summary>
/// Restores what was lost or damaged: <c>repair</c> from a local copy of one file, <c>rebuild</c> of the whole pool
/// (or a directory) from the pool itself. One engine for both (docs/redundancy.md): every stored object of a file is
/// checked; a missing or damaged copy or shard is written again on a remote that holds no other object of its chunk,
/// read back, and recorded in a new manifest revision on every remote. Idempotent, and safe to interrupt: nothing is
/// named by a manifest before it was written and checked.
/// </summary>
public sealed class Restorer(StoragePool owner)
{
    private readonly PoolContext _pool = owner.Context;
    private readonly WriteEngine _writing = owner.Writing;
    private readonly PoolReader _reader = owner.Reader;

    public async Task<RebuildReport> RestoreRedundancyAsync(PoolPath scope, int? workers, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var callsBefore = _pool.RemoteCallCount;
        var claimed = await ClaimEmptiedRemotesAsync(cancellationToken);
        var survey = await PoolSurvey.TakeAsync(_pool.Store, _pool.Layout, _pool.Remotes, _pool.Index, new SurveyOptions { Scope = scope.IsRoot ? null : scope, AllCopies = true }, cancellationToken);
        var entries = survey.Entries
            .Where(e => e.Current is { } m && scope.Contains(PoolPath.Parse(m.Path)))
            .OrderBy(e => e.Current!.Path, StringComparer.Ordinal)
            .ToList();
        if (entries.Count == 0 && !scope.IsRoot)
        {
            throw PoolErrors.NotFound(scope);
        }

        var restored = new List<RepairReport>();
        var failed = new List<(string, string)>();
        var objects = 0;
        foreach (var entry in entries)
        {
            var path = PoolPath.Parse(entry.Current!.Path);
            using (await _pool.Locks.AcquireAsync([path.Value], cancellationToken))
            {
                try
                {
                    var current = entry.Current!;
                    CheckNoNewerRevision(entry, current);
                    var report = await RestoreAsync(current, entry, survey, c => _reader.OpenDirect(current, c.Offset, c.Length), "rebuild", workers, progress, _pool.RemoteCallCount, cancellationToken);
                    objects += report.ChunksChecked;
                    if (!report.NothingToRepair)
                    {
                        restored.Add(report);
                    }
                }
                catch (PoolException e) when (e.Kind is not PoolErrorKind.BadInput)
                {
                    _pool.Logger.LogError("Rebuild of {Path} failed: {Error}", path, e.Message);
                    failed.Add((path.Value, e.Message));
                }
            }
        }

        return new RebuildReport
        {
            EntriesChecked = entries.Count,
            ObjectsChecked = objects,
            Restored = restored,
            Failed = failed,
            RemotesClaimed = claimed,
            RemoteCalls = (int)(_pool.RemoteCallCount - callsBefore),
        };
    }

    /// <summary>
    /// Writes this pool's descriptor on configured remotes that have none (a remote that came back empty, a replaced
    /// account), so rebuild can place objects there again. A remote that belongs to another pool is never written to.
    /// </summary>
    private async Task<IReadOnlyList<string>> ClaimEmptiedRemotesAsync(CancellationToken cancellationToken)
    {
        var descriptors = new PoolDescriptors(_pool.Store, _pool.Layout);
        var claimed = new List<string>();
        var still = new List<string>();
        foreach (var name in _pool.Unclaimed.Names)
        {
            var remote = _pool.Remote(name);
            PoolDescriptor? found;
            try
            {
                found = await descriptors.ReadAsync(remote, cancellationToken);
            }
            catch (PoolException e) when (e.Kind is PoolErrorKind.Transient or PoolErrorKind.Remote)
            {
                _pool.Logger.LogWarning("{Remote} does not answer ({Error}); it is left out of this rebuild.", name, e.Message);
                still.Add(name);
                continue;
            }

            if (found is not null && found.PoolId != _pool.PoolId)
            {
                throw new PoolException(PoolErrorKind.Conflict, $"{name} now belongs to pool {found.PoolId}, not {_pool.PoolId}; nothing was written to it. Point 'remotes' at this pool's remote or remove it from the config.");
            }

            if (found is null)
            {
                var descriptor = new PoolDescriptor { PoolId = _pool.PoolId, Remote = name, Created = _pool.Time.GetUtcNow() };
                await _pool.Store.WriteBytesAsync(_pool.Layout.Descriptor(remote), ManifestSerializer.Serialize(descriptor), cancellationToken);
                _pool.Logger.LogInformation("Took {Remote} back into pool {Pool}: it had no pool descriptor.", name, _pool.PoolId);
            }

            claimed.Add(name);
        }

        _pool.Unclaimed.StillUnclaimed(still);
        return claimed;
    }


    /// <summary>
    /// Repairs one file from a local copy: refuses a copy whose SHA-256 differs from the manifest's, reads and checks
    /// every chunk object, rewrites only the missing or damaged ones under fresh object ids (verified after writing),
    /// records them in a new manifest revision on every remote, then removes the older revisions and the damaged
    /// objects. Missing or damaged manifest copies are written again. Publishes FILE_REPAIRED.
    /// </summary>
    public async Task<RepairReport> RepairAsync(PoolPath path, string localSource, int? workers, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        using (await _pool.Locks.AcquireAsync([path.Value], cancellationToken))
        {
            return await RepairCoreAsync(path, localSource, workers, progress, cancellationToken);
        }
    }

    private async Task<RepairReport> RepairCoreAsync(PoolPath path, string localSource, int? workers, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var callsBefore = _pool.RemoteCallCount;
        await using var local = OpenLocalCopy(localSource, path);
        var (current, entry, survey) = await SurveyFileAsync(path, $"upload the local copy again ('rclonepool upload {localSource} {path}')", cancellationToken);
        await CheckLocalCopyAsync(local, localSource, current, cancellationToken);
        var handle = local.SafeFileHandle;
        return await RestoreAsync(current, entry, survey, c => new FileRangeStream(handle, c.Offset, c.Length), "repair", workers, progress, callsBefore, cancellationToken);
    }

    /// <summary>The current revision of a file as the remotes hold it, with its survey entry (every copy read).</summary>
    private async Task<(Manifest Current, SurveyedEntry Entry, PoolSurvey Survey)> SurveyFileAsync(PoolPath path, string otherwise, CancellationToken cancellationToken)
    {
        var indexed = await _pool.Index.GetAsync(path, cancellationToken);
        if (indexed is { Kind: EntryKind.Directory } || (indexed is null && (path.IsRoot || await _pool.Index.ExistsAsync(path, cancellationToken))))
        {
            throw PoolErrors.IsDirectory(path);
        }

        var survey = await PoolSurvey.TakeAsync(_pool.Store, _pool.Layout, _pool.Remotes, _pool.Index, new SurveyOptions { FileId = indexed?.FileId, Scope = path, AllCopies = true }, cancellationToken);
        var entry = survey.Entries.FirstOrDefault(e => e.Current is { Kind: EntryKind.File } m && m.Path == path.Value && (indexed is null || m.FileId == indexed.FileId));
        if (entry?.Current is not { } current)
        {
            throw indexed is null
                ? PoolErrors.NotFound(path)
                : new PoolException(PoolErrorKind.Integrity, $"No remote holds a readable manifest of {path}, so it cannot be restored in place; {otherwise}.");
        }

        CheckNoNewerRevision(entry, current);
        return (current, entry, survey);
    }

    /// <summary>A garbage newer revision (a torn write) is superseded by a repair; one from a newer rclonepool is not ours to hide.</summary>
    private static void CheckNoNewerRevision(SurveyedEntry entry, Manifest current)
    {
        if (entry.Unreadable.FirstOrDefault(u => u.Revision > current.Revision && u.Newer) is { Reason: not null } newer)
        {
            throw new PoolException(PoolErrorKind.Integrity, $"Revision {newer.Revision} of {current.Path} cannot be read ({newer.Reason}); restoring revision {current.Revision} would hide it. Nothing was changed; remove the damaged manifest or use the rclonepool that wrote it.");
        }
    }

    /// <summary>
    /// Checks every stored object of <paramref name="current"/> and writes a replacement for each missing or damaged
    /// one from <paramref name="openChunk"/> (the chunk's plain bytes), or rewrites missing manifest copies.
    /// </summary>
    private async Task<RepairReport> RestoreAsync(Manifest current, SurveyedEntry entry, PoolSurvey survey, Func<ChunkEntry, Stream> openChunk, string operation, int? workers, IProgress<long>? progress, long callsBefore, CancellationToken cancellationToken)
    {
        var damaged = await FindDamagedChunksAsync(current, workers, operation, cancellationToken);
        var report = damaged.Count > 0
            ? await RewriteChunksAsync(current, entry, openChunk, damaged, operation, workers, progress, cancellationToken)
            : await RewriteManifestCopiesAsync(current, entry, survey, cancellationToken);
        report = report with { ChunksChecked = current.Chunks.Sum(c => c.Locations.Count), RemoteCalls = (int)(_pool.RemoteCallCount - callsBefore) };
        if (!report.NothingToRepair)
        {
            _pool.Events.Publish(new PoolEvent
            {
                Type = PoolEventType.FileRepaired,
                Path = current.Path,
                Bytes = current.Size,
                Operation = operation,
                Detail = $"{report.Rewritten.Count} chunk objects rewritten, {report.ManifestCopiesWritten.Count} manifest copies written",
            });
            _pool.Logger.LogInformation("Restored {Path} ({Operation}): {Chunks} chunk objects rewritten, {Copies} manifest copies written.", current.Path, operation, report.Rewritten.Count, report.ManifestCopiesWritten.Count);
        }

        return report;
    }

    private static FileStream OpenLocalCopy(string localSource, PoolPath path)
    {
        if (Directory.Exists(localSource))
        {
            throw new PoolException(PoolErrorKind.BadInput, $"{localSource} is a directory; give the local copy of the file {path}.");
        }

        if (!File.Exists(localSource))
        {
            throw new PoolException(PoolErrorKind.BadInput, $"The local file {localSource} does not exist; check the path.");
        }

        try
        {
            return new FileStream(localSource, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new PoolException(PoolErrorKind.BadInput, $"The local file {localSource} cannot be read (permission denied); nothing was changed.", e);
        }
        catch (IOException e)
        {
            throw new PoolException(PoolErrorKind.BadInput, $"The local file {localSource} cannot be read ({e.Message}); nothing was changed.", e);
        }
    }

    /// <summary>Refuses a local copy that is not the content the manifest records.</summary>
    private static async Task CheckLocalCopyAsync(FileStream local, string localSource, Manifest current, CancellationToken cancellationToken)
    {
        if (local.Length != current.Size)
        {
            throw new PoolException(PoolErrorKind.BadInput, $"The local file {localSource} has {local.Length} bytes but {current.Path} has {current.Size}: it is not the same file. Nothing was changed.");
        }

        var sha256 = await FileRangeHash.Sha256Async(local.SafeFileHandle, 0, local.Length, cancellationToken);
        if (!string.Equals(sha256, current.Sha256, StringComparison.Ordinal))
        {
            throw new PoolException(PoolErrorKind.BadInput, $"The local file {localSource} is not the content of {current.Path} (SHA-256 {sha256[..16]}… where the manifest records {current.Sha256![..16]}…). Nothing was changed; give the file that was uploaded.");
        }
    }

    /// <summary>Reads every chunk object of the file; returns the damaged ones (and those that cannot be read).</summary>
    private async Task<List<(ChunkEntry Chunk, ChunkLocation Location, DamageKind Kind, string Detail)>> FindDamagedChunksAsync(Manifest current, int? workers, string operation, CancellationToken cancellationToken)
    {
        var damaged = new ConcurrentBag<(ChunkEntry, ChunkLocation, DamageKind, string)>();
        var locations = current.Chunks.SelectMany(c => c.Locations.Select(l => (Chunk: c, Location: l)));
        await Parallel.ForEachAsync(locations, new ParallelOptions { MaxDegreeOfParallelism = _pool.Workers(workers), CancellationToken = cancellationToken }, async (item, ct) =>
        {
            var (chunk, location) = item;
            (DamageKind Kind, string Detail)? found;
            try
            {
                found = await ChunkCheck.ByContentAsync(_pool.Store, _pool.PathOf(location), current, chunk, location, null, ct);
            }
            catch (PoolException e) when (e.Kind is PoolErrorKind.Transient or PoolErrorKind.Remote)
            {
                found = (DamageKind.Unreachable, $"it could not be read ({e.Message})");
            }

            if (found is { } damage)
            {
                damaged.Add((chunk, location, damage.Kind, damage.Detail));
                if (damage.Kind == DamageKind.Missing)
                {
                    _pool.Events.Publish(new PoolEvent { Type = PoolEventType.ChunkMissing, Path = current.Path, Chunk = chunk.Index, Remote = location.Remote, Object = location.Object, Operation = operation, Detail = damage.Detail });
                }
            }
        });
        return [.. damaged.OrderBy(d => d.Item1.Index)];
    }

    /// <summary>
    /// Writes a replacement for one damaged object of a chunk from the local copy: a whole copy, or the shard's part of
    /// the stripe re-encoded, on a remote no other object of the chunk uses.
    /// </summary>
    private async Task<ChunkLocation> RewriteLocationAsync(Manifest current, ChunkEntry chunk, ChunkLocation damaged, Func<ChunkEntry, Stream> openChunk, UploadContext upload, RemoteClaims claims, CancellationToken cancellationToken)
    {
        if (damaged.Role == LocationRole.Shard)
        {
            var spec = current.Redundancy;
            var geometry = new StripeGeometry(chunk.Length, current.BlockSize, spec.DataShards, spec.ParityShards);
            var shard = damaged.Shard ?? 0;
            var codec = SharedCodecs.For(spec.DataShards, spec.ParityShards);
            var written = await _writing.Chunks.StoreCopyAsync(chunk.Index, geometry.ShardLength(shard), () => new ShardStream(openChunk(chunk), geometry, codec, shard), hash: false, upload, claims, cancellationToken);
            return damaged with { Remote = written.Remote.Name, Object = written.Object };
        }

        var stored = await _writing.Chunks.StoreCopyAsync(chunk.Index, chunk.Length, () => openChunk(chunk), hash: true, upload, claims, cancellationToken);
        if (!string.Equals(stored.Sha256, chunk.Sha256, StringComparison.Ordinal))
        {
            throw new PoolException(PoolErrorKind.Conflict, $"Chunk {chunk.Index} read from its source does not match the manifest (did the file change?); nothing was changed.");
        }

        return damaged with { Remote = stored.Remote.Name, Object = stored.Object, StoredLength = chunk.Length };
    }

    private async Task<RepairReport> RewriteChunksAsync(
        Manifest current, SurveyedEntry entry, Func<ChunkEntry, Stream> openChunk, List<(ChunkEntry Chunk, ChunkLocation Location, DamageKind Kind, string Detail)> damaged,
        string operation, int? workers, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var placement = await _pool.Capacity.NewPlacementAsync(cancellationToken);
        foreach (var unreachable in damaged.Where(d => d.Kind == DamageKind.Unreachable).Select(d => d.Location.Remote).Distinct())
        {
            placement.Exclude(unreachable);
        }

        var upload = new UploadContext(placement, _pool.Workers(workers), _pool.FileEvents.Progress(operation, PoolPath.Parse(current.Path), damaged.Sum(d => d.Chunk.Length), progress), RedundancyPolicy.None);
        var replacements = new ConcurrentDictionary<(int Chunk, string Remote, string Object), ChunkLocation>();
        var claims = new ConcurrentDictionary<int, RemoteClaims>();
        Manifest repaired;
        try
        {
            await Parallel.ForEachAsync(damaged, new ParallelOptions { MaxDegreeOfParallelism = upload.Workers, CancellationToken = cancellationToken }, async (d, ct) =>
            {
                var location = await RewriteLocationAsync(current, d.Chunk, d.Location, openChunk, upload, claims.GetOrAdd(d.Chunk.Index, _ => new RemoteClaims(d.Chunk.Locations.Where(l => !damaged.Any(x => x.Chunk.Index == d.Chunk.Index && x.Location == l)).Select(l => l.Remote))), ct);

                // Verification after repair: read the new object back before any manifest names it.
                var check = await ChunkCheck.ByContentAsync(_pool.Store, _pool.PathOf(location), current, d.Chunk, location, null, ct);
                if (check is { } bad)
                {
                    throw new PoolException(PoolErrorKind.Integrity, $"Chunk {d.Chunk.Index} written to {location.Remote} did not read back intact ({bad.Detail}); nothing was changed. Check that remote.");
                }

                replacements[(d.Chunk.Index, d.Location.Remote, d.Location.Object)] = location;
            });

            repaired = current with
            {
                Revision = entry.NewestListedRevision + 1,
                Written = _pool.Time.GetUtcNow(),
                Chunks = [.. current.Chunks.Select(c => c with
                {
                    Locations = [.. c.Locations.Select(l => replacements.GetValueOrDefault((c.Index, l.Remote, l.Object), l))],
                })],
            };
            await _pool.Manifests.WriteAsync(repaired, cancellationToken);
        }
        catch
        {
            await _writing.Reclaimer.DiscardAsync(upload, upload.Written.Keys, $"a {operation} of {current.Path} that did not complete");
            throw;
        }

        await _pool.Index.PutAsync(repaired, cancellationToken);
        await _writing.Reclaimer.DiscardUnusedAsync(upload, repaired);
        var removedAll = true;
        foreach (var (revision, _) in entry.Revisions.Where(r => r.Revision < repaired.Revision))
        {
            removedAll &= await _pool.Manifests.DeleteRevisionAsync(current.FileId, revision, CancellationToken.None);
        }

        if (removedAll)
        {
            await _writing.Reclaimer.ReleaseChunksAsync(current, damaged.Where(d => d.Kind != DamageKind.Missing).Select(d => (_pool.RemoteOf(d.Location), d.Location.Object)), $"the damaged chunks of {current.Path}");
        }

        return new RepairReport
        {
            Path = current.Path,
            Revision = repaired.Revision,
            Rewritten = [.. damaged.Select(d =>
            {
                var now = replacements[(d.Chunk.Index, d.Location.Remote, d.Location.Object)];
                return new RepairedChunk(d.Chunk.Index, d.Kind, d.Detail, d.Location.Remote, d.Location.Object, now.Remote, now.Object);
            })],
            ManifestCopiesWritten = [.. _pool.Remotes.Select(r => r.Name)],
            StaleRevisionsRemoved = entry.Revisions.Count(r => r.Revision < current.Revision),
        };
    }

    /// <summary>The chunks are intact: writes the current revision's bytes where a copy is missing or damaged, removes older revisions.</summary>
    private async Task<RepairReport> RewriteManifestCopiesAsync(Manifest current, SurveyedEntry entry, PoolSurvey survey, CancellationToken cancellationToken)
    {
        var bytes = entry.CurrentBytes ?? ManifestSerializer.Serialize(current);
        var targets = entry.MissingCopies(survey.ListedRemotes).Select(m => m.Remote).Concat(entry.BadCopies.Select(b => b.Remote)).Distinct().ToList();
        var written = new List<string>();
        foreach (var remote in targets)
        {
            await _pool.Store.WriteBytesAsync(_pool.Layout.Manifest(remote, current.ObjectName), bytes, cancellationToken);
            written.Add(remote.Name);
        }

        await _pool.Index.PutAsync(current, cancellationToken);
        var stale = 0;
        foreach (var (revision, _) in entry.Revisions.Where(r => r.Revision < current.Revision))
        {
            await _pool.Manifests.DeleteRevisionAsync(current.FileId, revision, CancellationToken.None);
            stale++;
        }

        return new RepairReport { Path = current.Path, Revision = current.Revision, ManifestCopiesWritten = written, StaleRevisionsRemoved = stale };
    }
}
