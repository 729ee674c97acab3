using Microsoft.Extensions.Logging;
using RclonePool.Core.Errors;
using RclonePool.Core.Manifests;
using RclonePool.Core.Pool;
using RclonePool.Core.Pool.Scanning;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Jobs;

/// <summary>
/// Compaction of the manifests on the remotes (docs/manifest-format.md), over a survey already taken: on each remote the
/// records still needed of the packs it rewrites, the single manifests it folds in (packing on) and the current revisions
/// the remote lacks go into new packs (one per <see cref="ManifestPack.TargetBytes"/>), written before anything is removed, so a crash in between leaves duplicates
/// that "the newest revision wins" resolves. Then the rewritten packs and the folded, superseded or hidden single
/// manifests are removed: only objects the survey listed, never one written after it. Only when every remote was listed:
/// a tombstone is dropped only once no remote holds anything it hides. What is superseded is asked of the index after
/// the survey (<see cref="RemoteCompactionPlan"/>), so compaction is safe beside uploads and deletes of the same process.
/// </summary>
internal sealed class PackCompactor(PoolContext pool)
{
    /// <summary>Deletes in flight on one remote: each is a round trip on a cloud account, and a compaction can remove hundreds.</summary>
    private const int DeletesPerRemote = 8;

    /// <summary>Remotes compacted at once.</summary>
    private const int RemotesAtOnce = 8;

    /// <summary>
    /// Compressed packs held at once by the compactions of this process, each its records compressed (about 5 MB at
    /// <see cref="ManifestPack.TargetBytes"/>) until its upload ends: the remotes are compacted at once, and with 100
    /// slow accounts every one of their packs would otherwise wait in memory.
    /// </summary>
    private static readonly SemaphoreSlim PacksInMemory = new(16);

    private readonly PoolContext _pool = pool;

    /// <param name="full">Rewrite every pack into one per remote (index rebuild, 'index compact --full'); otherwise merge only small and mostly superseded packs.</param>
    /// <param name="tidy">Rewrite every small pack and every pack holding a record no longer needed, keeping only settled healthy packs as they are ('index rebuild').</param>
    public async Task<PackCompaction> CompactAsync(PoolSurvey survey, bool full, bool tidy, CancellationToken cancellationToken)
    {
        var result = new PackCompaction();
        if (!survey.AllListed)
        {
            result.Skipped = "not every remote could be listed";
            return result;
        }

        var fold = _pool.Manifests.WritesPacks;
        if (!fold && survey.Remotes.All(r => r.Packs.Count == 0) && survey.Tombstones.Count == 0)
        {
            return result;
        }

        // The revisions the index holds now, after the survey listed the remotes: these writes are committed.
        var entries = survey.Entries.ToDictionary(e => e.FileId, StringComparer.Ordinal);
        var committed = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var entry in survey.Entries)
        {
            if (await _pool.Index.GetByIdAsync(entry.FileId, cancellationToken) is { } indexed)
            {
                committed[entry.FileId] = indexed.Revision;
            }
        }

        // The remotes are compacted at once, each by its own plan (a cloud account's calls take round trips, and one
        // remote's deletes do not wait for another's), a bounded number at a time: a plan holds a reference per record it
        // keeps, and the new packs are on the disk beside the ones they replace until those are removed.
        var naming = new PackNaming(ManifestNames.NewId(), _pool.Time.GetUtcNow());
        var prepared = false;
        var preparing = new SemaphoreSlim(1, 1);
        var parallelism = Math.Min(RemotesAtOnce, Math.Max(1, survey.Remotes.Count));
        await Parallel.ForEachAsync(survey.Remotes, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, async (inventory, ct) =>
        {
            var plan = RemoteCompactionPlan.Make(inventory, survey, entries, committed, fold, full, tidy);
            if (!plan.HasWork)
            {
                return;
            }

            var done = new PackCompaction();
            try
            {
                if (plan.Records.Count > 0 && !Volatile.Read(ref prepared))
                {
                    await preparing.WaitAsync(ct);
                    try
                    {
                        if (!prepared)
                        {
                            await _pool.Manifests.PrepareForPacksAsync(ct);
                            Volatile.Write(ref prepared, true);
                        }
                    }
                    finally
                    {
                        preparing.Release();
                    }
                }

                await ApplyAsync(plan, entries, naming, done, ct);
            }
            catch (PoolException e)
            {
                done.Problems.Add($"the manifests of {plan.Inventory.Remote.Name} could not be compacted ({e.Message}); run 'rclonepool index compact' again");
            }
            finally
            {
                lock (result)
                {
                    result.Add(done);
                }
            }
        });

        if (result.PacksRemoved + result.SinglesRemoved > 0)
        {
            _pool.Logger.LogInformation(
                "Manifest compaction: {Packs} packs and {Singles} single manifests removed ({Folded} folded in), {Written} packs written, {Dropped} superseded records dropped.",
                result.PacksRemoved, result.SinglesRemoved, result.SinglesFolded, result.PacksWritten, result.RecordsDropped);
        }

        return result;
    }

    private async Task ApplyAsync(RemoteCompactionPlan plan, Dictionary<string, SurveyedEntry> entries, PackNaming naming, PackCompaction result, CancellationToken cancellationToken)
    {
        var remote = plan.Inventory.Remote;
        if (plan.Records.Count > 0)
        {
            // As many packs as the records need at ManifestPack.TargetBytes each: one pack per remote for a pool of up to
            // some 15,000 files, a pack per 16 MiB of records beyond (about 5 MB stored, compressed).
            foreach (var records in ManifestPack.Split(plan.Records))
            {
                var name = naming.NameOf(records);
                await PacksInMemory.WaitAsync(cancellationToken);
                try
                {
                    await using var content = ManifestPack.OpenContent(_pool.PoolId, records, naming.Written);
                    await _pool.Store.WriteAsync(_pool.Layout.Manifest(remote, name), content, content.Length, cancellationToken);
                }
                finally
                {
                    PacksInMemory.Release();
                }

                result.PacksWritten++;
            }

            result.SinglesFolded += plan.SinglesFolded;
            result.CopiesWritten.AddRange(plan.CopiesAdded.Select(c => $"{entries[c.FileId].Current!.Path}: revision {c.Revision} written to {remote.Name} (in a pack)"));
        }

        // Only now, with the pack durable: what it replaces, a few deletes at a time.
        result.RecordsDropped += plan.RecordsDropped;
        var packsRemoved = 0;
        var singlesRemoved = 0;
        var objects = plan.Rewritten.Select(p => (Path: p.Entry.Path, Pack: true)).Concat(plan.SinglesRemoved.Select(s => (s.Path, Pack: false)));
        try
        {
            await Parallel.ForEachAsync(objects, new ParallelOptions { MaxDegreeOfParallelism = DeletesPerRemote, CancellationToken = cancellationToken }, async (item, ct) =>
            {
                await _pool.Store.DeleteAsync(new RemotePath(remote.Storage, item.Path), ct);
                Interlocked.Increment(ref item.Pack ? ref packsRemoved : ref singlesRemoved);
            });
        }
        finally
        {
            result.PacksRemoved += packsRemoved;
            result.SinglesRemoved += singlesRemoved;
        }
    }
}
