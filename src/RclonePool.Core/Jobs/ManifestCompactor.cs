using RclonePool.Core.Pool;
using RclonePool.Core.Pool.Scanning;

namespace RclonePool.Core.Jobs;

/// <summary>
/// The <c>index compact</c> job (and the automatic compaction of <c>serve</c>, <see cref="ManifestCompactionLoop"/>): one
/// survey of the manifests on the remotes, then <see cref="PackCompactor"/>. The index is not changed, so uploads and
/// deletes of the same process go on meanwhile; one compaction at a time per open pool.
/// </summary>
public sealed class ManifestCompactor(StoragePool owner)
{
    private readonly PoolContext _pool = owner.Context;

    /// <summary>True when compaction has work it may do: packing on, or packs in the pool (otherwise single manifests stay as they are).</summary>
    public bool Applies => _pool.Manifests.WritesPacks || _pool.Manifests.PoolHasPacks;

    /// <param name="full">Every remote's packs into one (otherwise small and mostly superseded packs only, with the single manifests).</param>
    public async Task<PackCompaction> CompactAsync(bool full, CancellationToken cancellationToken)
    {
        await _pool.Manifests.CompactionGate.WaitAsync(cancellationToken);
        try
        {
            // Compaction places records: the current revisions' summaries and record bytes, not their parsed content.
            var survey = await _pool.SurveyAsync(new SurveyOptions { Summaries = true }, cancellationToken);
            var result = await new PackCompactor(_pool).CompactAsync(survey, full, tidy: false, cancellationToken);

            // Damaged packs stay where they are (their records are unknown); revisions that vanished between the listing and
            // the read are writes of this process moving on, not problems.
            result.Problems.InsertRange(0, survey.Remotes.SelectMany(r => r.DamagedPacks.Select(d => $"the manifest pack {d.Pack.Path} on {r.Remote.Name} could not be read ({d.Reason}); it is left as it is")));
            return result;
        }
        finally
        {
            _pool.Manifests.CompactionGate.Release();
        }
    }
}
