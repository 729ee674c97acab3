using Microsoft.Extensions.Logging;
using RclonePool.Core.Errors;
using RclonePool.Core.Manifests;
using RclonePool.Core.Pool;
using RclonePool.Core.Pool.Scanning;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Jobs;

/// <summary>
/// Compaction of manifest packs (docs/manifest-format.md), run by 'index rebuild' over the survey it took: on each remote,
/// the records still needed (current revisions, tombstones that still hide something) of all its packs go into one new
/// pack, written before the old packs are removed, so a crash in between leaves duplicates that "the newest revision
/// wins" resolves. Single manifests that a tombstone hides are removed too. Only when every remote was listed: a
/// tombstone is dropped only once no remote holds anything it hides.
/// </summary>
internal sealed class PackCompactor(PoolContext pool)
{
    private readonly PoolContext _pool = pool;

    public async Task<PackCompaction> CompactAsync(PoolSurvey survey, CancellationToken cancellationToken)
    {
        if (!survey.AllListed || survey.Remotes.All(r => r.Packs.Count == 0 && r.DamagedPacks.Count == 0 && !HidesSingles(survey, r)))
        {
            return new PackCompaction();
        }

        var entries = survey.Entries.ToDictionary(e => e.FileId, StringComparer.Ordinal);
        var result = new PackCompaction();
        foreach (var inventory in survey.Remotes)
        {
            var remote = inventory.Remote;
            var keep = new List<ReadOnlyMemory<byte>>();
            var seen = new HashSet<(string, long, bool)>();
            var dropped = 0;
            foreach (var record in inventory.Packs.SelectMany(p => p.Records))
            {
                if (!seen.Add((record.FileId, record.Revision, record.IsTombstone)))
                {
                    dropped++;
                }
                else if (Needed(record, survey, entries, out var bytes))
                {
                    keep.Add(bytes);
                }
                else
                {
                    dropped++;
                }
            }

            try
            {
                if (inventory.Packs.Count > 1 || dropped > 0)
                {
                    if (keep.Count > 0)
                    {
                        var name = ManifestNames.PackName(ManifestNames.NewId());
                        await _pool.Store.WriteBytesAsync(_pool.Layout.Manifest(remote, name), ManifestPack.Serialize(_pool.PoolId, keep, _pool.Time.GetUtcNow()), cancellationToken);
                        result.PacksWritten++;
                    }

                    foreach (var pack in inventory.Packs)
                    {
                        await _pool.Store.DeleteAsync(new RemotePath(remote.Storage, pack.Entry.Path), cancellationToken);
                        result.PacksRemoved++;
                    }

                    result.RecordsDropped += dropped;
                }

                foreach (var ((fileId, revision), entry) in inventory.Manifests)
                {
                    if (survey.Tombstones.TryGetValue(fileId, out var tombstone) && revision <= tombstone.Revision)
                    {
                        await _pool.Store.DeleteAsync(new RemotePath(remote.Storage, entry.Path), cancellationToken);
                        result.RecordsDropped++;
                    }
                }
            }
            catch (PoolException e)
            {
                result.Problems.Add($"the manifest packs of {remote.Name} could not be compacted ({e.Message}); run 'rclonepool index rebuild' again");
            }
        }

        if (result.PacksRemoved > 0)
        {
            _pool.Logger.LogInformation("Index rebuild: {Removed} manifest packs compacted into {Written}, {Dropped} superseded records dropped.", result.PacksRemoved, result.PacksWritten, result.RecordsDropped);
        }

        return result;
    }

    private static bool HidesSingles(PoolSurvey survey, RemoteInventory inventory) =>
        inventory.Manifests.Keys.Any(k => survey.Tombstones.TryGetValue(k.FileId, out var t) && k.Revision <= t.Revision);

    /// <summary>
    /// Whether a record must stay: a tombstone while it hides something; a manifest unless a tombstone hides it or a
    /// newer revision was read. A record of an entry whose current revision could not be read stays, whatever it is.
    /// </summary>
    private static bool Needed(PackRecord record, PoolSurvey survey, Dictionary<string, SurveyedEntry> entries, out ReadOnlyMemory<byte> bytes)
    {
        bytes = record.Bytes;
        if (record.IsTombstone)
        {
            return survey.Tombstones.TryGetValue(record.FileId, out var t) && t.Hides;
        }

        if (survey.Tombstones.TryGetValue(record.FileId, out var tombstone) && record.Revision <= tombstone.Revision)
        {
            return false;
        }

        if (!entries.TryGetValue(record.FileId, out var entry) || entry.Current is null)
        {
            return true;
        }

        if (record.Revision < entry.Current.Revision)
        {
            return false;
        }

        // The valid bytes of the current revision replace a damaged copy.
        if (record.Revision == entry.Current.Revision && entry.CurrentBytes is { } valid)
        {
            bytes = valid;
        }

        return true;
    }
}
