using System.Buffers;
using Microsoft.Extensions.Logging;
using RclonePool.Core.Errors;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
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

    /// <summary>Remotes written to or cleaned at once.</summary>
    private const int RemotesAtOnce = 8;

    /// <summary>
    /// Remotes that keep the same records and write their packs together, each pack compressed once for all of them:
    /// their new packs are on the disk beside the ones they replace until the batch removes those.
    /// </summary>
    private const int RemotesPerBatch = 10;

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

        // The revisions the index holds now, after the survey listed the remotes: these writes are committed. One
        // listing of the index (no manifest parsed), not a lookup per file.
        var entries = survey.Entries.ToDictionary(e => e.FileId, StringComparer.Ordinal);
        var committed = new Dictionary<string, long>(entries.Count, StringComparer.Ordinal);
        await foreach (var indexed in _pool.Index.ListAsync(PoolPath.Root, recursive: true, cancellationToken))
        {
            if (indexed.FileId is { } fileId && entries.ContainsKey(fileId))
            {
                committed[fileId] = indexed.Revision;
            }
        }

        var plans = await PlanAsync(survey, entries, committed, fold, full, tidy, cancellationToken);

        // Remotes that write the same packs (every healthy remote of a settled pool, and after the first compaction of an
        // upload every remote) write them together, each pack compressed once per batch of remotes; then each removes what
        // its packs replace. A batch at a time: the new packs are on the disk beside the ones they replace until then.
        var naming = new PackNaming(ManifestNames.NewId(), _pool.Time.GetUtcNow());
        var prepared = false;
        foreach (var batch in plans.Where(p => p.HasWork).GroupBy(p => p.Records, ReferenceEqualityComparer.Instance).SelectMany(g => g.Chunk(RemotesPerBatch)))
        {
            if (batch[0].Records.Count > 0 && !prepared)
            {
                await _pool.Manifests.PrepareForPacksAsync(cancellationToken);
                prepared = true;
            }

            var done = batch.Select(_ => new PackCompaction()).ToArray();
            var failed = new bool[batch.Length];
            await WritePacksAsync(batch, entries, naming, done, failed, cancellationToken);
            await Parallel.ForEachAsync(Enumerable.Range(0, batch.Length), new ParallelOptions { MaxDegreeOfParallelism = RemotesAtOnce, CancellationToken = cancellationToken }, async (i, ct) =>
            {
                if (failed[i])
                {
                    return;
                }

                try
                {
                    await RemoveReplacedAsync(batch[i], done[i], ct);
                }
                catch (PoolException e)
                {
                    done[i].Problems.Add(CouldNotCompact(batch[i], e));
                }
            });

            foreach (var one in done)
            {
                result.Add(one);
            }
        }

        if (result.PacksRemoved + result.SinglesRemoved > 0)
        {
            _pool.Logger.LogInformation(
                "Manifest compaction: {Packs} packs and {Singles} single manifests removed ({Folded} folded in), {Written} packs written, {Dropped} superseded records dropped.",
                result.PacksRemoved, result.SinglesRemoved, result.SinglesFolded, result.PacksWritten, result.RecordsDropped);
        }

        return result;
    }

    /// <summary>
    /// The plan of each remote, computed once per distinct <see cref="CompactionInput"/> (on both cores) and given to the
    /// other remotes of that input; plans that keep the same records share one list of them.
    /// </summary>
    private static async Task<List<RemoteCompactionPlan>> PlanAsync(
        PoolSurvey survey, Dictionary<string, SurveyedEntry> entries, Dictionary<string, long> committed, bool fold, bool full, bool tidy, CancellationToken cancellationToken)
    {
        var damaged = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var entry in survey.Entries.Where(e => e.BadCopies.Count > 0))
        {
            foreach (var (remote, _) in entry.BadCopies)
            {
                if (!damaged.TryGetValue(remote.Name, out var files))
                {
                    damaged[remote.Name] = files = new(StringComparer.Ordinal);
                }

                files.Add(entry.FileId);
            }
        }

        var inputs = survey.Remotes.Select(r => new CompactionInput(r, damaged.TryGetValue(r.Remote.Name, out var files) ? files : [])).ToArray();
        var first = new Dictionary<CompactionInput, int>();
        for (var i = 0; i < inputs.Length; i++)
        {
            first.TryAdd(inputs[i], i);
        }

        var planned = new RemoteCompactionPlan?[inputs.Length];
        var distinct = new List<RemoteCompactionPlan>();
        await Parallel.ForEachAsync(first.Values, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken }, (i, _) =>
        {
            var plan = RemoteCompactionPlan.Make(survey.Remotes[i], survey, entries, committed, fold, full, tidy);
            lock (distinct)
            {
                if (!distinct.Any(plan.ShareRecords))
                {
                    distinct.Add(plan);
                }
            }

            planned[i] = plan;
            return ValueTask.CompletedTask;
        });

        return [.. inputs.Select((input, i) => planned[first[input]]!.For(survey.Remotes[i]))];
    }

    /// <summary>
    /// The packs of a batch of remotes that keep the same records: each compressed once and written to every remote of
    /// the batch. A remote whose write fails writes nothing more and removes nothing (<paramref name="failed"/>).
    /// </summary>
    private async Task WritePacksAsync(RemoteCompactionPlan[] batch, Dictionary<string, SurveyedEntry> entries, PackNaming naming, PackCompaction[] done, bool[] failed, CancellationToken cancellationToken)
    {
        var records = batch[0].Records;
        if (records.Count == 0)
        {
            return;
        }

        // As many packs as the records need at ManifestPack.TargetBytes each: one pack per remote for a pool of up to
        // some 15,000 files, a pack per 16 MiB of records beyond (about 5 MB stored, compressed).
        foreach (var run in ManifestPack.Split(records))
        {
            var name = naming.NameOf(run);
            byte[]? packed = null;
            await PacksInMemory.WaitAsync(cancellationToken);
            try
            {
                // The compressed pack once in one array (about 5 MB), each remote's write reading its own view of it.
                int length;
                await using (var content = ManifestPack.OpenContent(_pool.PoolId, run, naming.Written))
                {
                    length = checked((int)content.Length);
                    packed = ArrayPool<byte>.Shared.Rent(length);
                    content.ReadExactly(packed, 0, length);
                }

                await Parallel.ForEachAsync(Enumerable.Range(0, batch.Length), new ParallelOptions { MaxDegreeOfParallelism = RemotesAtOnce, CancellationToken = cancellationToken }, async (i, ct) =>
                {
                    if (failed[i])
                    {
                        return;
                    }

                    try
                    {
                        await using var view = new MemoryStream(packed, 0, length, writable: false);
                        await _pool.Store.WriteAsync(_pool.Layout.Manifest(batch[i].Inventory.Remote, name), view, view.Length, ct);
                        done[i].PacksWritten++;
                    }
                    catch (PoolException e)
                    {
                        failed[i] = true;
                        done[i].Problems.Add(CouldNotCompact(batch[i], e));
                    }
                });
            }
            finally
            {
                if (packed is not null)
                {
                    ArrayPool<byte>.Shared.Return(packed);
                }

                PacksInMemory.Release();
            }
        }

        for (var i = 0; i < batch.Length; i++)
        {
            if (!failed[i])
            {
                var plan = batch[i];
                done[i].SinglesFolded += plan.SinglesFolded;
                done[i].CopiesWritten.AddRange(plan.CopiesAdded.Select(c => $"{entries[c.FileId].Current!.Path}: revision {c.Revision} written to {plan.Inventory.Remote.Name} (in a pack)"));
            }
        }
    }

    /// <summary>Only once the new packs are durable: what they replace, a few deletes at a time.</summary>
    private async Task RemoveReplacedAsync(RemoteCompactionPlan plan, PackCompaction result, CancellationToken cancellationToken)
    {
        var remote = plan.Inventory.Remote;
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

    private static string CouldNotCompact(RemoteCompactionPlan plan, PoolException e) =>
        $"the manifests of {plan.Inventory.Remote.Name} could not be compacted ({e.Message}); run 'rclonepool index compact' again";
}
