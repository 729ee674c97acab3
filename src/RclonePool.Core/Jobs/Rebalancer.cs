using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RclonePool.Core.Config;
using RclonePool.Core.Errors;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Placement;
using RclonePool.Core.Pool;
using RclonePool.Core.Pool.Scanning;

namespace RclonePool.Core.Jobs;

/// <summary>
/// <c>balance-status</c> and <c>rebalance</c>: how evenly the pool's bytes are spread over its remotes
/// (<see cref="Utilisation"/>), and moving chunk objects (copies and shards too) until the utilisation variance is under
/// a target. The plan (<see cref="RebalancePlanner"/>) comes from the manifests on the remotes; each file's moves are
/// done by <see cref="FileRelocation"/>, under the file's lock, a bounded number of files at once. Safe to interrupt at
/// any moment and to run again.
/// </summary>
public sealed class Rebalancer(StoragePool owner)
{
    private readonly PoolContext _pool = owner.Context;
    private readonly FileRelocation _relocation = new(owner.Context, owner.Writing);

    /// <summary>Every remote's bytes, space, share and objects from the index and rclone's about; no manifest is read.</summary>
    public async Task<BalanceReport> StatusAsync(CancellationToken cancellationToken)
    {
        var loads = await _pool.Capacity.MeasureAsync(cancellationToken);
        var usage = await _pool.Capacity.UsageAsync(cancellationToken);
        var objects = (await _pool.Index.TotalsAsync(cancellationToken)).Remotes;

        var total = (double)loads.Sum(l => l.Used);
        var deviations = Utilisation.Deviations(loads);
        return new BalanceReport(
            [.. loads.Select((l, i) => new RemoteBalance(l.Remote, l.Used, l.Free, usage[i]?.Total, total > 0 ? l.Used * 100 / total : 0, objects.GetValueOrDefault(l.Remote).Objects, deviations[i], l.Weight, l.Priority))],
            Utilisation.Variance(loads),
            _pool.Config.RebalanceThreshold);
    }

    /// <summary>Plans and, unless <see cref="RebalanceOptions.DryRun"/>, does the moves.</summary>
    public async Task<RebalanceReport> RebalanceAsync(RebalanceOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        CheckOptions(options);
        var callsBefore = _pool.RemoteCallCount;
        var survey = await _pool.SurveyAsync(new SurveyOptions { AllRevisions = true }, cancellationToken);
        var silent = CheckAnswers(survey, options.Drain);
        var entries = survey.Entries.Where(e => e.Current is { Kind: EntryKind.File }).ToDictionary(e => e.FileId, StringComparer.Ordinal);
        var loads = (await LoadsAsync(entries.Values, cancellationToken)).Where(l => !silent.Contains(l.Remote)).ToList();
        var draining = loads.Where(l => l.Draining).Select(l => l.Remote).ToHashSet(StringComparer.Ordinal);
        var plan = RebalancePlanner.Plan(loads, Movable(entries.Values, draining), options.Drain ? double.PositiveInfinity : options.TargetVariance, options.MaxBytes);
        var onDraining = entries.Values.SelectMany(e => e.Current!.Chunks).SelectMany(c => c.Locations).Count(l => draining.Contains(l.Remote));
        if (options.DryRun)
        {
            return new RebalanceReport
            {
                Plan = plan,
                DryRun = true,
                VarianceAfter = plan.VarianceAfter,
                LeftOnDraining = onDraining - plan.Moves.Count(m => draining.Contains(m.From.Remote)),
                RemoteCalls = (int)(_pool.RemoteCallCount - callsBefore),
            };
        }

        var planned = plan.Moves.Select(m => m.FileId).ToHashSet(StringComparer.Ordinal);
        var finished = await FinishInterruptedAsync(survey, entries.Values.Where(e => !planned.Contains(e.FileId)), options, cancellationToken);
        var moved = new ConcurrentBag<ChunkMove>();
        var failed = new ConcurrentBag<(string, string)>();
        var skipped = 0;
        long bytesMoved = 0;
        var files = plan.Moves.GroupBy(m => m.FileId).ToList();

        // Files are moved a few at once and so are the objects of one file, the copies and checks of the whole job bounded
        // together. Twice as many files as copies: while one file's last copies are read back, another's copies go on.
        var workers = await _pool.WorkersAsync(options.Workers, plan.Moves.Count, cancellationToken);
        using var slots = new RelocationSlots(workers);
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = 2 * workers, CancellationToken = cancellationToken }, async (file, ct) =>
        {
            var entry = entries[file.Key];
            var path = PoolPath.Parse(entry.Current!.Path);
            using (await _pool.Locks.AcquireAsync([path.Value], ct))
            {
                if (await _pool.Index.GetAsync(path, ct) is not { } indexed || indexed.FileId != entry.FileId || indexed.Revision > entry.Current.Revision)
                {
                    Interlocked.Increment(ref skipped); // changed since the survey: the next run plans it again
                    return;
                }

                try
                {
                    foreach (var (move, _) in await _relocation.MoveAsync(entry, [.. file], slots, ct))
                    {
                        moved.Add(move);
                        options.Progress?.Report(Interlocked.Add(ref bytesMoved, move.Bytes));
                    }
                }
                catch (PoolException e) when (e.Kind is not PoolErrorKind.BadInput)
                {
                    _pool.Logger.LogError("Rebalance of {Path} failed: {Error}", path, e.Message);
                    failed.Add((path.Value, e.Message));
                }
            }
        });

        return new RebalanceReport
        {
            Plan = plan,
            Moved = [.. moved.OrderBy(m => m.Path, StringComparer.Ordinal).ThenBy(m => m.Chunk).ThenBy(m => m.From.Shard)],
            Failed = [.. failed.OrderBy(f => f.Item1, StringComparer.Ordinal)],
            Skipped = skipped,
            Finished = finished,
            LeftOnDraining = onDraining - moved.Count(m => draining.Contains(m.From.Remote)),
            VarianceAfter = Utilisation.Variance(RebalancePlanner.Apply(plan.Before, moved)),
            RemoteCalls = (int)(_pool.RemoteCallCount - callsBefore),
        };
    }

    /// <summary>
    /// Files an interrupted run (or write) left with older revisions or with remotes lacking the current one: finished
    /// (<see cref="FileRelocation.FinishAsync"/>), each under its lock. Returns how many.
    /// </summary>
    private async Task<int> FinishInterruptedAsync(PoolSurvey survey, IEnumerable<SurveyedEntry> entries, RebalanceOptions options, CancellationToken cancellationToken)
    {
        var listed = survey.ListedRemotes.ToList();
        var unfinished = entries.Where(e => e.Revisions.Count > 1 || e.MissingCopies(listed).Any()).ToList();
        var finished = 0;
        await Parallel.ForEachAsync(unfinished, new ParallelOptions { MaxDegreeOfParallelism = await _pool.WorkersAsync(options.Workers, unfinished.Count, cancellationToken), CancellationToken = cancellationToken }, async (entry, ct) =>
        {
            var path = PoolPath.Parse(entry.Current!.Path);
            using (await _pool.Locks.AcquireAsync([path.Value], ct))
            {
                if (await _pool.Index.GetAsync(path, ct) is { } indexed && (indexed.FileId != entry.FileId || indexed.Revision > entry.Current.Revision))
                {
                    return; // changed since the survey
                }

                await _relocation.FinishAsync(entry, listed, ct);
                Interlocked.Increment(ref finished);
            }
        });
        return finished;
    }

    private static void CheckOptions(RebalanceOptions options)
    {
        if (!options.Drain && (!double.IsFinite(options.TargetVariance) || options.TargetVariance < 0))
        {
            throw new PoolException(PoolErrorKind.BadInput, $"--target-variance {options.TargetVariance} is not a variance; give a number of percent, 0 or more (e.g. 5.0). Nothing was changed.");
        }

        if (options.MaxBytes is < 0)
        {
            throw new PoolException(PoolErrorKind.BadInput, $"--max-bytes {options.MaxBytes} is negative; give a size such as 10G. Nothing was changed.");
        }
    }

    /// <summary>
    /// Refuses to move anything while a remote does not answer (its objects and manifests would be unknown); a drain goes
    /// on without it as long as the drained remotes answer. Returns the remotes left out.
    /// </summary>
    private HashSet<string> CheckAnswers(PoolSurvey survey, bool drain)
    {
        var down = survey.Remotes.Where(r => !r.Listed).Select(r => r.Remote.Name).ToHashSet(StringComparer.Ordinal);
        var drained = _pool.Config.DrainingRemotes.Select(ConfigValidator.NormaliseRemote).ToHashSet(StringComparer.Ordinal);
        if (down.Count > 0 && (!drain || down.Any(d => drained.Contains(ConfigValidator.NormaliseRemote(d)))))
        {
            throw new PoolException(PoolErrorKind.Transient, drain
                ? $"{string.Join(", ", down)} did not answer; a remote being drained must answer for its chunks to move. Nothing was moved; try again when it is back, or 'rclonepool rebuild' if it is gone for good."
                : $"{string.Join(", ", down)} did not answer, so the pool's objects are not all known; nothing was moved. Run 'rclonepool health', and rebalance once every remote answers.");
        }

        if (down.Count > 0)
        {
            _pool.Logger.LogWarning("{Remotes} did not answer; the drain goes on without {Them}.", string.Join(", ", down), down.Count == 1 ? "it" : "them");
        }

        return down;
    }

    /// <summary>The pool's remotes (unclaimed ones left out) with free space from rclone's about and the bytes the surveyed manifests place on them.</summary>
    private async Task<IReadOnlyList<RemoteLoad>> LoadsAsync(IEnumerable<SurveyedEntry> entries, CancellationToken cancellationToken)
    {
        // A remote without this pool's descriptor is not written to (rebuild or 'remote add' claims it).
        var unclaimed = _pool.Unclaimed.Names.ToHashSet(StringComparer.Ordinal);
        var measured = (await _pool.Capacity.MeasureAsync(cancellationToken)).Where(l => !unclaimed.Contains(l.Remote)).ToList();
        var stored = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var location in entries.SelectMany(e => e.Current!.Chunks).SelectMany(c => c.Locations))
        {
            stored[location.Remote] = stored.GetValueOrDefault(location.Remote) + location.StoredLength;
        }

        return [.. measured.Select(l => l with { Stored = stored.GetValueOrDefault(l.Remote) })];
    }

    /// <summary>
    /// The objects a move may take: of a file's current revision, named by no other file (shared content stays where
    /// it is, unless its remote is being drained), of a file no newer unreadable revision hides, on a remote of the config.
    /// </summary>
    private IEnumerable<MovableObject> Movable(IEnumerable<SurveyedEntry> entries, HashSet<string> draining)
    {
        var list = entries.ToList();
        var names = new Dictionary<(string, string), int>();
        foreach (var entry in list)
        {
            var named = entry.Older.Prepend(entry.Current!).SelectMany(m => m.Chunks).SelectMany(c => c.Locations).Select(l => (l.Remote, l.Object)).Distinct();
            foreach (var key in named)
            {
                names[key] = names.GetValueOrDefault(key) + 1;
            }
        }

        var configured = _pool.Remotes.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in list.Where(e => !e.Unreadable.Any(u => u.Revision > e.Current!.Revision)))
        {
            foreach (var chunk in entry.Current!.Chunks)
            {
                foreach (var location in chunk.Locations)
                {
                    // Shared content on a remote being drained moves too, once per file naming it (the source goes when none does).
                    if (configured.Contains(location.Remote) && (names[(location.Remote, location.Object)] == 1 || draining.Contains(location.Remote)) && location.StoredLength > 0)
                    {
                        yield return new MovableObject(entry.Current, chunk, location);
                    }
                }
            }
        }
    }
}
