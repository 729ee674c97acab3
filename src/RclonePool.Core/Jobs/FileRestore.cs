using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RclonePool.Core.Chunking;
using RclonePool.Core.Compression;
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
/// Restores one file in place, for <see cref="Restorer"/> (repair and rebuild): every stored object of the current
/// revision is read and checked; each missing or damaged copy or shard is written again from the chunk's plain bytes on a
/// remote that holds no other object of its chunk, read back, and recorded in a new manifest revision on every remote;
/// when the chunks are intact, missing or damaged manifest copies are written again.
/// </summary>
internal sealed class FileRestore(PoolContext pool, WriteEngine writing)
{
    /// <summary>
    /// Checks every stored object of <paramref name="current"/> and writes a replacement for each missing or damaged
    /// one from <paramref name="openChunk"/> (the chunk's plain bytes), or rewrites missing manifest copies.
    /// </summary>
    public async Task<RepairReport> RestoreAsync(Manifest current, SurveyedEntry entry, PoolSurvey survey, Func<ChunkEntry, Stream> openChunk, string operation, int? workers, IProgress<long>? progress, long callsBefore, CancellationToken cancellationToken)
    {
        var damaged = await FindDamagedChunksAsync(current, workers, operation, cancellationToken);
        var report = damaged.Count > 0
            ? await RewriteChunksAsync(current, entry, openChunk, damaged, operation, workers, progress, cancellationToken)
            : await RewriteManifestCopiesAsync(current, entry, survey, cancellationToken);
        report = report with { ChunksChecked = current.Chunks.Sum(c => c.Locations.Count), RemoteCalls = (int)(pool.RemoteCallCount - callsBefore) };
        if (!report.NothingToRepair)
        {
            pool.Events.Publish(new PoolEvent
            {
                Type = PoolEventType.FileRepaired,
                Path = current.Path,
                Bytes = current.Size,
                Operation = operation,
                Detail = $"{report.Rewritten.Count} chunk objects rewritten, {report.ManifestCopiesWritten.Count} manifest copies written",
            });
            pool.Logger.LogInformation("Restored {Path} ({Operation}): {Chunks} chunk objects rewritten, {Copies} manifest copies written.", current.Path, operation, report.Rewritten.Count, report.ManifestCopiesWritten.Count);
        }

        return report;
    }

    /// <summary>Reads every chunk object of the file; returns the damaged ones (and those that cannot be read).</summary>
    private async Task<List<(ChunkEntry Chunk, ChunkLocation Location, DamageKind Kind, string Detail)>> FindDamagedChunksAsync(Manifest current, int? workers, string operation, CancellationToken cancellationToken)
    {
        var damaged = new ConcurrentBag<(ChunkEntry, ChunkLocation, DamageKind, string)>();
        var locations = current.Chunks.SelectMany(c => c.Locations.Select(l => (Chunk: c, Location: l)));
        await Parallel.ForEachAsync(locations, new ParallelOptions { MaxDegreeOfParallelism = await pool.WorkersAsync(workers, cancellationToken), CancellationToken = cancellationToken }, async (item, ct) =>
        {
            var (chunk, location) = item;
            (DamageKind Kind, string Detail)? found;
            try
            {
                // A remote taken out of the pool ('remote remove --force') holds nothing the pool can read any more.
                found = pool.Remotes.Any(r => r.Name == location.Remote)
                    ? await ChunkCheck.ByContentAsync(pool.Store, pool.PathOf(location), current, chunk, location, null, ct)
                    : (DamageKind.Missing, $"its remote {location.Remote} is no longer in the config's 'remotes'");
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
                    pool.Events.Publish(new PoolEvent { Type = PoolEventType.ChunkMissing, Path = current.Path, Chunk = chunk.Index, Remote = location.Remote, Object = location.Object, Operation = operation, Detail = damage.Detail });
                }
            }
        });
        return [.. damaged.OrderBy(d => d.Item1.Index)];
    }

    /// <summary>
    /// Writes a replacement for one damaged object of a chunk from the local copy: a whole copy, or the shard's part of
    /// the stripe re-encoded, on a remote no other object of the chunk uses.
    /// </summary>
    private async Task<ChunkLocation> RewriteLocationAsync(Manifest current, ChunkEntry chunk, ChunkLocation damaged, Func<ChunkEntry, Stream> openChunk, bool storedFormReadable, UploadContext upload, RemoteClaims claims, CancellationToken cancellationToken)
    {
        if (!chunk.IsCompressed)
        {
            return await RewriteStoredAsync(current, chunk, damaged, () => openChunk(chunk), upload, claims, cancellationToken);
        }

        // The objects hold the stored form. While the chunk's other objects can give it (a copy, or enough shards), it is
        // read from them, verified against the stored hashes, and nothing is decoded or encoded again: encryption seldom
        // gives the same bytes twice.
        if (storedFormReadable)
        {
            var view = StoredView.Of(current);
            var stored = view.Manifest.Chunks[chunk.Index];
            var reader = new PoolReader(pool);
            return await RewriteStoredAsync(current, chunk.StoredForm(), damaged, () => reader.OpenDirect(view.Manifest, stored.Offset, stored.Length), upload, claims, cancellationToken);
        }

        // Else encode the plain bytes again the same way (checked block by block against the recorded lengths, and the
        // stored hashes after the write), and rebuild the copy or shard from that.
        await using var compressed = await CompressedChunk.RecreateAsync(() => openChunk(chunk), chunk, current.BlockSize, pool.Codecs.ForRead(current, chunk), pool.Config.TempDir, cancellationToken);
        return await RewriteStoredAsync(current, chunk.StoredForm(), damaged, compressed.OpenStored, upload, claims, cancellationToken);
    }

    /// <summary>Writes a replacement object from the bytes the chunk's objects hold (<paramref name="chunk"/> is its stored form).</summary>
    private async Task<ChunkLocation> RewriteStoredAsync(Manifest current, ChunkEntry chunk, ChunkLocation damaged, Func<Stream> openStored, UploadContext upload, RemoteClaims claims, CancellationToken cancellationToken)
    {
        if (damaged.Role == LocationRole.Shard)
        {
            var spec = current.Redundancy;
            var geometry = new StripeGeometry(chunk.Length, current.BlockSize, spec.DataShards, spec.ParityShards);
            var shard = damaged.Shard ?? 0;
            var codec = SharedCodecs.For(spec.DataShards, spec.ParityShards);
            var written = await writing.Chunks.StoreCopyAsync(chunk.Index, geometry.ShardLength(shard), () => new ShardStream(openStored(), geometry, codec, shard), hash: false, upload, claims, cancellationToken);
            return damaged with { Remote = written.Remote.Name, Object = written.Object };
        }

        var stored = await writing.Chunks.StoreCopyAsync(chunk.Index, chunk.Length, openStored, hash: true, upload, claims, cancellationToken);
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
        var placement = await pool.Capacity.NewPlacementAsync(cancellationToken);
        foreach (var unreachable in damaged.Where(d => d.Kind == DamageKind.Unreachable).Select(d => d.Location.Remote).Distinct())
        {
            placement.Exclude(unreachable);
        }

        var upload = new UploadContext(placement, await pool.WorkersAsync(workers, cancellationToken), pool.FileEvents.Progress(operation, PoolPath.Parse(current.Path), damaged.Sum(d => d.Chunk.Length), progress), RedundancyPolicy.None);
        var replacements = new ConcurrentDictionary<(int Chunk, string Remote, string Object), ChunkLocation>();
        var claims = new ConcurrentDictionary<int, RemoteClaims>();
        Manifest repaired;
        try
        {
            await Parallel.ForEachAsync(damaged, new ParallelOptions { MaxDegreeOfParallelism = upload.Workers, CancellationToken = cancellationToken }, async (d, ct) =>
            {
                var location = await RewriteLocationAsync(current, d.Chunk, d.Location, openChunk, StoredFormReadable(d.Chunk, current.Redundancy, damaged.Where(x => x.Chunk.Index == d.Chunk.Index).Select(x => x.Location)), upload, claims.GetOrAdd(d.Chunk.Index, _ => new RemoteClaims(d.Chunk.Locations.Where(l => !damaged.Any(x => x.Chunk.Index == d.Chunk.Index && x.Location == l)).Select(l => l.Remote))), ct);

                // Verification after repair: read the new object back before any manifest names it.
                var check = await ChunkCheck.ByContentAsync(pool.Store, pool.PathOf(location), current, d.Chunk, location, null, ct);
                if (check is { } bad)
                {
                    throw new PoolException(PoolErrorKind.Integrity, $"Chunk {d.Chunk.Index} written to {location.Remote} did not read back intact ({bad.Detail}); nothing was changed. Check that remote.");
                }

                replacements[(d.Chunk.Index, d.Location.Remote, d.Location.Object)] = location;
            });

            repaired = current with
            {
                Revision = entry.NewestListedRevision + 1,
                Written = pool.Time.GetUtcNow(),
                Chunks = [.. current.Chunks.Select(c => c with
                {
                    Locations = [.. c.Locations.Select(l => replacements.GetValueOrDefault((c.Index, l.Remote, l.Object), l))],
                })],
            };
            await pool.Manifests.WriteAsync(repaired, cancellationToken);
        }
        catch (Exception e) when (e is not PoolException { InDoubt: true })
        {
            await writing.Reclaimer.DiscardAsync(upload, upload.Written.Keys, $"a {operation} of {current.Path} that did not complete");
            throw;
        }

        await pool.Index.PutAsync(repaired, CancellationToken.None);
        await writing.Reclaimer.DiscardUnusedAsync(upload, repaired);
        var removedAll = true;
        foreach (var (revision, _) in entry.Revisions.Where(r => r.Revision < repaired.Revision))
        {
            removedAll &= await pool.Manifests.DeleteRevisionAsync(current.FileId, revision, CancellationToken.None);
        }

        if (removedAll)
        {
            await writing.Reclaimer.ReleaseChunksAsync(current, damaged.Where(d => d.Kind != DamageKind.Missing).Select(d => (pool.RemoteOf(d.Location), d.Location.Object)), $"the damaged chunks of {current.Path}");
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
            ManifestCopiesWritten = [.. pool.Remotes.Select(r => r.Name)],
            StaleRevisionsRemoved = entry.Revisions.Count(r => r.Revision < current.Revision),
        };
    }

    /// <summary>True when the intact objects of <paramref name="chunk"/> (those not in <paramref name="damaged"/>) still hold its whole stored form: a copy, or as many shards as the stripe has data shards.</summary>
    private static bool StoredFormReadable(ChunkEntry chunk, RedundancySpec redundancy, IEnumerable<ChunkLocation> damaged)
    {
        var intact = chunk.Locations.Except(damaged).ToList();
        return chunk.Locations.Any(l => l.Role == LocationRole.Shard)
            ? intact.Count(l => l.Role == LocationRole.Shard) >= redundancy.DataShards
            : intact.Count > 0;
    }

    /// <summary>The chunks are intact: writes the current revision's bytes where a copy is missing or damaged, removes older revisions.</summary>
    private async Task<RepairReport> RewriteManifestCopiesAsync(Manifest current, SurveyedEntry entry, PoolSurvey survey, CancellationToken cancellationToken)
    {
        var bytes = entry.CurrentBytes ?? ManifestSerializer.Serialize(current);
        var targets = entry.MissingCopies(survey.ListedRemotes).Select(m => m.Remote).Concat(entry.BadCopies.Select(b => b.Remote)).Distinct().ToList();
        var written = new List<string>();
        foreach (var remote in targets)
        {
            await pool.Store.WriteBytesAsync(pool.Layout.Manifest(remote, current.ObjectName), bytes, cancellationToken);
            written.Add(remote.Name);
        }

        await pool.Index.PutAsync(current, cancellationToken);
        var stale = 0;
        foreach (var (revision, _) in entry.Revisions.Where(r => r.Revision < current.Revision))
        {
            await pool.Manifests.DeleteRevisionAsync(current.FileId, revision, CancellationToken.None);
            stale++;
        }

        return new RepairReport { Path = current.Path, Revision = current.Revision, ManifestCopiesWritten = written, StaleRevisionsRemoved = stale };
    }
}
