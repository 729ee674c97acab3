using System.Collections.Concurrent;
using RclonePool.Core.Integrity;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool.Scanning;

namespace RclonePool.Core.Jobs;

/// <summary>The manifest checks verify and health share: what the remotes' copies of each entry's manifest show.</summary>
internal static class ManifestChecks
{
    /// <summary>Manifest problems of every entry in scope; returns the current manifests in scope.</summary>
    public static List<Manifest> Check(PoolSurvey survey, PoolPath scope, ConcurrentBag<Damage> damage)
    {
        var listed = survey.ListedRemotes.ToList();
        var current = new List<Manifest>();
        foreach (var entry in survey.Entries.Where(e => e.Read))
        {
            if (entry.Current is not { } manifest)
            {
                damage.Add(new Damage
                {
                    Kind = DamageKind.ManifestDamaged,
                    FileId = entry.FileId,
                    Detail = $"no revision of this entry has a readable copy on any remote: {string.Join("; ", entry.Unreadable.Select(u => $"revision {u.Revision}: {u.Reason}"))}",
                });
                continue;
            }

            if (!scope.Contains(PoolPath.Parse(manifest.Path)))
            {
                continue;
            }

            current.Add(manifest);
            foreach (var (revision, reason, _) in entry.Unreadable.Where(u => u.Revision > manifest.Revision))
            {
                damage.Add(new Damage
                {
                    Kind = DamageKind.ManifestDamaged,
                    Path = manifest.Path,
                    FileId = manifest.FileId,
                    Detail = $"its newer revision {revision} has no readable copy ({reason}); revision {manifest.Revision} is used",
                });
            }

            foreach (var (remote, reason) in entry.BadCopies)
            {
                damage.Add(new Damage
                {
                    Kind = DamageKind.ManifestDisagreement,
                    Path = manifest.Path,
                    FileId = manifest.FileId,
                    Remote = remote.Name,
                    Detail = $"the copy of revision {manifest.Revision} is damaged: {reason}",
                });
            }

            foreach (var (remote, holds) in entry.MissingCopies(listed))
            {
                damage.Add(new Damage
                {
                    Kind = DamageKind.ManifestDisagreement,
                    Path = manifest.Path,
                    FileId = manifest.FileId,
                    Remote = remote.Name,
                    Detail = holds is { } older
                        ? $"it holds only the stale revision {older}, not the current revision {manifest.Revision}"
                        : $"the manifest (revision {manifest.Revision}) is missing there",
                });
            }
        }

        return current;
    }
}
