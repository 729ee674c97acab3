using Microsoft.Extensions.Logging;
using RclonePool.Core.Errors;
using RclonePool.Core.Manifests;
using RclonePool.Core.Pool;
using RclonePool.Core.Pool.Scanning;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Jobs;

/// <summary>The <c>index rebuild</c> job: the index recreated from the manifests on the remotes, and the remotes' manifest copies reconciled.</summary>
public sealed class IndexRebuilder(StoragePool owner)
{
    private readonly PoolContext _pool = owner.Context;

    /// <summary>
    /// Recreates the index from the manifests on the remotes (the newest revision with a valid copy wins; one copy is
    /// read, the others are compared by their listed sizes and read only when those differ), then reconciles the
    /// remotes: a remote that lacks the winning revision, or holds a damaged copy of it, gets the valid bytes written
    /// again. A damaged copy of the same size is only found by a full 'verify' (which reads every copy). Stale older
    /// revisions are left to 'orphans'; manifest packs are compacted (<see cref="PackCompactor"/>). Returns what could not be reconciled.
    /// </summary>
    public async Task<IndexRebuildReport> RebuildAsync(CancellationToken cancellationToken)
    {
        var callsBefore = _pool.RemoteCallCount;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // The survey keeps each current manifest's summary and record bytes; the bulk load parses them again, a batch
        // ahead on the other core, so the parsed manifests of a million files are never held at once.
        var survey = await _pool.SurveyAsync(new SurveyOptions { Summaries = true }, cancellationToken);
        var surveyed = clock.Elapsed;
        var current = survey.Entries.Where(e => e.Current is not null).ToList();
        // In path order: the index's path indexes are then built in order, not at random places (file id order).
        var inPathOrder = current.OrderBy(e => e.Current!.Path, StringComparer.Ordinal).ToList();
        await _pool.Index.ReplaceAllAsync(ParseAhead.InOrder(inPathOrder, Parsed), cancellationToken);
        inPathOrder.Clear();
        var loaded = clock.Elapsed;

        var problems = survey.Gaps().ToList();

        // The packs first: each remote's single manifests and the current revisions it lacks (packing on), with the records
        // still needed of its small packs and of every pack holding a superseded, hidden or damaged record, into new packs
        // (the migration point of packed pools, issue 19). Settled packs with nothing to drop stay as they are: rewriting
        // every manifest of every remote is 'index compact --full'.
        var written = new List<string>();
        PackCompaction compaction;
        await _pool.Manifests.CompactionGate.WaitAsync(cancellationToken);
        try
        {
            compaction = await new PackCompactor(_pool).CompactAsync(survey, full: false, tidy: true, cancellationToken);
            written.AddRange(compaction.CopiesWritten);
            problems.AddRange(compaction.Problems);
        }
        finally
        {
            _pool.Manifests.CompactionGate.Release();
        }

        // Without packing (or when compaction could not run), each missing or damaged copy is written again alone.
        if (!_pool.Manifests.WritesPacks || compaction.Skipped is not null)
        {
            foreach (var entry in current)
            {
                var manifest = entry.Current!;
                var bytes = entry.CurrentBytes ?? ManifestSerializer.Serialize(manifest);
                var targets = entry.MissingCopies(survey.ListedRemotes).Select(m => m.Remote).Concat(entry.BadCopies.Select(b => b.Remote)).Distinct();
                foreach (var remote in targets)
                {
                    try
                    {
                        await _pool.Store.WriteBytesAsync(_pool.Layout.Manifest(remote, manifest.ObjectName), bytes, cancellationToken);
                        written.Add($"{manifest.Path}: revision {manifest.Revision} written to {remote.Name}");
                    }
                    catch (PoolException e)
                    {
                        problems.Add($"{manifest.Path}: its manifest could not be written to {remote.Name} ({e.Message})");
                    }
                }
            }
        }

        _pool.Logger.LogInformation("Index rebuild: survey {Survey:F1} s, index load {Load:F1} s, compaction and repairs {Rest:F1} s.",
            surveyed.TotalSeconds, (loaded - surveyed).TotalSeconds, (clock.Elapsed - loaded).TotalSeconds);
        foreach (var line in written)
        {
            _pool.Logger.LogInformation("Index rebuild: {Change}", line);
        }

        return new IndexRebuildReport { Entries = current.Count, CopiesWritten = written, Problems = problems, RemoteCalls = (int)(_pool.RemoteCallCount - callsBefore) };
    }

    /// <summary>The current revision whole: parsed again from the record bytes the survey validated (the survey kept its summary).</summary>
    private static Manifest Parsed(SurveyedEntry entry) =>
        entry.CurrentBytes is { } bytes ? ManifestSerializer.Deserialize(bytes, entry.Current!.Path) : entry.Current!;
}
