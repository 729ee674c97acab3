using Microsoft.Extensions.Logging;
using RclonePool.Core.Errors;
using RclonePool.Core.Pool.Scanning;

namespace RclonePool.Core.Pool;

/// <summary>
/// Fills an empty index (new, reset, or recreated after corruption) from the manifests on the remotes when a pool
/// opens: the newest revision with a valid copy of each entry wins. What disagreed between remotes is logged; repairing
/// it is the work of 'rclonepool index rebuild', 'verify' and 'repair'. A manifest written by a newer rclonepool stops the
/// open with advice to upgrade.
/// </summary>
internal sealed class IndexLoader(PoolContext pool)
{
    public async Task<int> LoadAsync(CancellationToken cancellationToken)
    {
        var survey = await pool.SurveyAsync(new SurveyOptions(), cancellationToken);
        if (survey.Entries.SelectMany(e => e.Unreadable).FirstOrDefault(u => u.Newer) is { Reason: not null } newer)
        {
            // A pool this rclonepool cannot read in full: nothing is indexed, rather than a listing with holes.
            throw new PoolException(PoolErrorKind.Environment, $"Revision {newer.Revision} of a manifest cannot be read: {newer.Reason}");
        }

        var current = survey.Entries.Where(e => e.Current is not null).Select(e => e.Current!).ToList();
        await pool.Index.ReplaceAllAsync(current, cancellationToken);
        foreach (var problem in survey.Gaps().Concat(survey.Disagreements().Order(StringComparer.Ordinal)))
        {
            pool.Logger.LogWarning("Loading the index from the remotes: {Problem}", problem);
        }

        pool.Logger.LogInformation("Index loaded from the remotes: {Count} entries.", current.Count);
        return current.Count;
    }
}
