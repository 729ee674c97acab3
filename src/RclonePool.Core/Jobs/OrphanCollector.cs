using System.Text.Json;
using Microsoft.Extensions.Logging;
using RclonePool.Core.Errors;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Core.Pool.Scanning;
using RclonePool.Core.Remotes;
using RclonePool.Core.Remotes.Local;

namespace RclonePool.Core.Jobs;

/// <summary>The <c>orphans</c> job (docs/operations.md): finds, and with --delete removes, what no manifest on any remote needs.</summary>
public sealed class OrphanCollector(StoragePool owner)
{
    private readonly PoolContext _pool = owner.Context;

    /// <summary>
    /// Finds chunk objects that no manifest on any remote references (every revision present is read from the
    /// remotes; the index is never trusted for this), stale manifest revisions, and shared-content markers no longer
    /// needed. With <see cref="OrphanOptions.Delete"/>, and only when every remote was listed and every manifest read,
    /// removes those older than the grace period: first the index is corrected to match the remotes, then stale
    /// revisions, then chunk objects, so an interruption never leaves a visible file without its chunks.
    /// </summary>
    public async Task<OrphanReport> FindAsync(OrphanOptions options, CancellationToken cancellationToken)
    {
        var callsBefore = _pool.RemoteCallCount;
        // Only the chunk locations, paths and content digests of the manifests are used, except by --delete, which also
        // corrects the index with the current manifests (so it keeps them whole).
        var survey = await _pool.SurveyAsync(new SurveyOptions { ListData = true, ListSharedMarkers = true, AllRevisions = true, Lean = !options.Delete }, cancellationToken);
        var now = _pool.Time.GetUtcNow();
        bool OldEnough(DateTimeOffset time) => now - time >= options.MinAge;

        // The chunks a manifest names cannot be known when no revision of its entry is readable, or when one was written
        // by a newer rclonepool: then nothing is removed. A garbage revision beside a readable one (a write torn by a
        // crash) names nothing any reader can use: it is stale, like an older revision.
        var blockers = survey.Remotes.Where(r => !r.Listed).Select(r => $"{r.Remote.Name} could not be listed ({r.Error})").ToList();
        blockers.AddRange(survey.Remotes.SelectMany(r => r.DamagedPacks.Select(d =>
            $"the manifest pack {d.Pack.Path} on {r.Remote.Name} could not be read ({d.Reason}); the chunks it names cannot be known. Remove it or run 'rclonepool index rebuild'")));
        foreach (var entry in survey.Entries.Where(e => e.Unreadable.Count > 0))
        {
            blockers.AddRange(entry.Unreadable.Where(u => u.Newer || entry.Current is null).Select(u =>
                $"revision {u.Revision} of {entry.Current?.Path ?? "file id " + entry.FileId} has no readable copy ({u.Reason}); the chunks it names cannot be known. Remove it or restore a copy"));
        }

        // Stale revisions: removable once the current revision has itself been durable for the grace period.
        var stale = new List<StaleManifest>();
        var referenced = new HashSet<(string Remote, string Object)>();
        var staleOnly = new HashSet<(string Remote, string Object)>();
        foreach (var entry in survey.Entries.Where(e => e.Current is not null))
        {
            var current = entry.Current!;
            var settled = entry.CopiesOf(current.Revision).Select(c => c.Entry.ModTime).DefaultIfEmpty(current.Written).Max();
            foreach (var location in current.Chunks.SelectMany(c => c.Locations))
            {
                referenced.Add((location.Remote, location.Object));
            }

            foreach (var (revision, _, _) in entry.Unreadable.Where(u => !u.Newer))
            {
                stale.AddRange(entry.CopiesOf(revision).Where(c => !c.IsPacked).Select(c =>
                    new StaleManifest(c.Remote.Name, _pool.Layout.Manifest(c.Remote, ManifestNames.ObjectName(entry.FileId, revision)).Path, entry.FileId, revision, current.Revision, current.Path, OldEnough(c.Entry.ModTime))));
            }

            foreach (var older in entry.Older.Where(m => m.Revision < current.Revision))
            {
                var removable = OldEnough(settled);
                // A stale revision inside a pack is dropped by compaction ('index rebuild'), not removed here.
                stale.AddRange(entry.CopiesOf(older.Revision).Where(c => !c.IsPacked).Select(c =>
                    new StaleManifest(c.Remote.Name, _pool.Layout.Manifest(c.Remote, older.ObjectName).Path, entry.FileId, older.Revision, current.Revision, current.Path, removable)));
                foreach (var location in older.Chunks.SelectMany(c => c.Locations))
                {
                    (removable ? staleOnly : referenced).Add((location.Remote, location.Object));
                }
            }
        }

        var (markers, _) = await SharedMarkersAsync(survey, OldEnough, referenced, cancellationToken);

        // Content claims are read after the manifests: an upload claims what it reuses before it checks it exists.
        var claims = await ClaimedObjects.ReadAsync(_pool, survey.Remotes.Where(r => r.Listed).Select(r => r.Remote), OldEnough, cancellationToken);
        var orphans = new List<OrphanObject>();
        var referencedCount = 0;
        foreach (var inventory in survey.Remotes.Where(r => r.Listed))
        {
            foreach (var (name, entry) in inventory.Data!)
            {
                if (referenced.Contains((inventory.Remote.Name, name)) || claims.Keeps(inventory.Remote.Name, name))
                {
                    referencedCount++;
                }
                else
                {
                    var note = staleOnly.Contains((inventory.Remote.Name, name)) ? "only a stale manifest revision names it" : null;
                    orphans.Add(new OrphanObject(inventory.Remote.Name, name, entry.Size, entry.ModTime, OldEnough(entry.ModTime), note));
                }
            }

            // A direct write interrupted between its temporary file and the rename (a crash, a full disk) leaves the
            // temporary file beside the manifests; it names nothing and nothing reads it.
            foreach (var partial in inventory.ForeignManifestObjects.Where(e => e.Name.EndsWith(LocalDirectStore.PartialSuffix, StringComparison.Ordinal)))
            {
                orphans.Add(new OrphanObject(inventory.Remote.Name, partial.Path, partial.Size, partial.ModTime, OldEnough(partial.ModTime), "temporary file of an interrupted write"));
            }
        }

        var report = new OrphanReport
        {
            Chunks = [.. orphans.OrderBy(o => o.Remote, StringComparer.Ordinal).ThenBy(o => o.Object, StringComparer.Ordinal)],
            StaleManifests = stale,
            StaleMarkers = [.. markers, .. claims.Stale],
            ReferencedChunks = referencedCount,
            Blockers = blockers,
            UnreachableRemotes = survey.Remotes.Count(r => !r.Listed),
        };
        report = options.Delete && blockers.Count == 0 ? await RemoveOrphansAsync(report, survey, OldEnough, cancellationToken) : report;
        return report with { RemoteCalls = (int)(_pool.RemoteCallCount - callsBefore) };
    }

    /// <summary>
    /// Markers of content still shared, or touched within the grace period (a borrow may be in flight), protect the
    /// objects they name; old markers of content at most one file still has are returned as removable.
    /// </summary>
    private async Task<(List<OrphanObject> Removable, int Reads)> SharedMarkersAsync(PoolSurvey survey, Func<DateTimeOffset, bool> oldEnough, HashSet<(string, string)> referenced, CancellationToken cancellationToken)
    {
        var filesByContent = survey.Entries.Where(e => e.Current?.Sha256 is not null).GroupBy(e => e.Current!.Sha256!).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var removable = new List<OrphanObject>();
        var reads = 0;
        foreach (var inventory in survey.Remotes.Where(r => r.Listed))
        {
            foreach (var marker in inventory.SharedMarkers)
            {
                var sha256 = marker.Name.EndsWith(ManifestNames.Extension, StringComparison.Ordinal) ? marker.Name[..^ManifestNames.Extension.Length] : marker.Name;
                if (!oldEnough(marker.ModTime))
                {
                    reads++;
                    var bytes = await _pool.Store.TryReadBytesAsync(new RemotePath(inventory.Remote.Storage, marker.Path), cancellationToken);
                    try
                    {
                        var content = bytes is null ? null : JsonSerializer.Deserialize(bytes, SharedContentJsonContext.Default.SharedContent);
                        foreach (var o in content?.Objects ?? [])
                        {
                            referenced.Add((o.Remote, o.Object));
                        }
                    }
                    catch (JsonException e)
                    {
                        _pool.Logger.LogWarning("The shared-content marker {Marker} on {Remote} is damaged ({Error}).", marker.Path, inventory.Remote.Name, e.Message);
                    }
                }
                else if (filesByContent.GetValueOrDefault(sha256) <= 1)
                {
                    removable.Add(new OrphanObject(inventory.Remote.Name, marker.Path, marker.Size, marker.ModTime, true, "shared-content marker"));
                }
            }
        }

        return (removable, reads);
    }

    private async Task<OrphanReport> RemoveOrphansAsync(OrphanReport report, PoolSurvey survey, Func<DateTimeOffset, bool> oldEnough, CancellationToken cancellationToken)
    {
        var corrections = await ReconcileIndexAsync(survey, cancellationToken);
        var byName = _pool.Remotes.ToDictionary(r => r.Name, StringComparer.Ordinal);
        var manifests = 0;
        foreach (var copy in report.StaleManifests.Where(s => s.OldEnough))
        {
            await _pool.Store.DeleteAsync(new RemotePath(byName[copy.Remote].Storage, copy.Object), cancellationToken);
            manifests++;
        }

        // Claims once more, just before removing: an upload that claimed an object since the listing keeps it.
        var claims = await ClaimedObjects.ReadAsync(_pool, survey.ListedRemotes, oldEnough, cancellationToken);
        var removable = report.Chunks.Where(c => c.OldEnough && !claims.Keeps(c.Remote, c.Object)).ToList();
        var chunks = 0;
        long bytes = 0;

        // An object with a random id is named only by its own file's manifests: it goes at once.
        await Parallel.ForEachAsync(removable.Where(c => !ManifestNames.IsContentAddressed(c.Object)), new ParallelOptions { MaxDegreeOfParallelism = PoolContext.MetadataParallelism, CancellationToken = cancellationToken }, async (o, ct) =>
        {
            if (await _pool.Store.DeleteAsync(new RemotePath(byName[o.Remote].Storage, o.Object), ct))
            {
                Interlocked.Increment(ref chunks);
                Interlocked.Add(ref bytes, o.Size);
            }
        });

        // A content-addressed one may be reused by an upload at any moment, also after the read above: it is set aside
        // first, and removed only if the claims and manifests read after that still name it nowhere.
        var swept = new SweptObjects(_pool);
        var aside = await swept.LeftoversAsync(survey.ListedRemotes, cancellationToken);
        aside.AddRange(await swept.SetAsideAsync(removable.Where(c => ManifestNames.IsContentAddressed(c.Object)), byName, cancellationToken));
        if (aside.Count > 0)
        {
            // Once objects are aside, the check and the settling run to their end: a file must not wait for the next run.
            var needed = await StillNeededAsync(survey.ListedRemotes.ToList(), oldEnough, CancellationToken.None);
            var (removed, removedBytes, _) = await swept.SettleAsync(aside, needed);
            chunks += removed;
            bytes += removedBytes;
        }

        foreach (var marker in report.StaleMarkers)
        {
            // A borrow rewrites its marker first: one touched since the listing is not stale any more.
            var path = new RemotePath(byName[marker.Remote].Storage, marker.Object);
            if (await _pool.Store.StatAsync(path, cancellationToken) is { } now && now.ModTime == marker.Modified)
            {
                await _pool.Store.DeleteAsync(path, cancellationToken);
            }
        }

        _pool.Logger.LogInformation("orphans: removed {Chunks} chunk objects ({Bytes} bytes) and {Manifests} stale manifest copies.", chunks, bytes, manifests);
        return report with
        {
            Deleted = true,
            ChunksDeleted = chunks,
            BytesDeleted = bytes,
            ManifestsDeleted = manifests,
            IndexCorrections = corrections,
        };
    }

    /// <summary>
    /// What an object set aside must go back for, read after it was set aside: a young claim first (an upload removes
    /// its claim only once its manifest is durable), then the current manifests (only the revisions the index does not
    /// have are read) and young shared-content markers. When any of that cannot be read, everything goes back.
    /// </summary>
    private async Task<Func<string, string, bool>> StillNeededAsync(IReadOnlyList<PoolRemote> remotes, Func<DateTimeOffset, bool> oldEnough, CancellationToken cancellationToken)
    {
        var claims = await ClaimedObjects.ReadAsync(_pool, remotes, oldEnough, cancellationToken);
        PoolSurvey survey;
        try
        {
            survey = await _pool.SurveyAsync(new SurveyOptions { PreferIndex = true, ListSharedMarkers = true, Lean = true }, cancellationToken);
        }
        catch (PoolException e)
        {
            _pool.Logger.LogWarning("orphans: the manifests could not be read again after setting chunks aside ({Error}); all of them are moved back.", e.Message);
            return (_, _) => true;
        }

        if (!remotes.All(r => survey.ListedRemotes.Contains(r)) || survey.Gaps().Any())
        {
            return (_, _) => true;
        }

        var referenced = new HashSet<(string Remote, string Object)>();
        foreach (var location in survey.Entries.Where(e => e.Current is not null).SelectMany(e => e.Current!.Chunks).SelectMany(c => c.Locations))
        {
            referenced.Add((location.Remote, location.Object));
        }

        await SharedMarkersAsync(survey, oldEnough, referenced, cancellationToken);
        return (remote, objectPath) => referenced.Contains((remote, objectPath)) || claims.Keeps(remote, objectPath);
    }

    /// <summary>
    /// Makes the index show exactly the current revisions the remotes hold (only after every remote was listed and
    /// every manifest read): entries only the index knows are dropped, newer or missing revisions are put.
    /// </summary>
    private async Task<int> ReconcileIndexAsync(PoolSurvey survey, CancellationToken cancellationToken)
    {
        var current = survey.Entries.Where(e => e.Current is not null).ToDictionary(e => e.FileId, e => e.Current!, StringComparer.Ordinal);
        var indexed = new Dictionary<string, long>(StringComparer.Ordinal);
        await foreach (var item in _pool.Index.ListAsync(PoolPath.Root, recursive: true, cancellationToken))
        {
            if (item.FileId is not null)
            {
                indexed[item.FileId] = item.Revision;
            }
        }

        var corrections = 0;
        foreach (var (fileId, revision) in indexed)
        {
            if (!current.TryGetValue(fileId, out var manifest) || manifest.Revision != revision)
            {
                await _pool.Index.RemoveAsync(fileId, cancellationToken);
                corrections++;
            }
        }

        foreach (var (fileId, manifest) in current)
        {
            if (indexed.GetValueOrDefault(fileId) != manifest.Revision)
            {
                await _pool.Index.PutAsync(manifest, cancellationToken);
                corrections += indexed.ContainsKey(fileId) ? 0 : 1;
            }
        }

        return corrections;
    }
}
