using Microsoft.Extensions.Logging;
using RclonePool.Core.Errors;
using RclonePool.Core.Manifests;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Pool.Writing;

/// <summary>
/// Removes objects nothing needs any more: what a failed or finished upload wrote that its manifest does not name,
/// the chunks of a retired revision, the chunks of a deleted entry. Best effort: what cannot be removed now is left for
/// <c>rclonepool orphans</c>, which finds it from the manifests on the remotes. A content-addressed object
/// (<c>enable_deduplication</c>) is never removed here: another manifest, or an upload in flight, may name it; the sweep
/// in 'orphans' removes it once no manifest names it and it is older than the grace period (docs/efficiency.md).
/// </summary>
internal sealed class ObjectReclaimer(PoolContext pool, SharedContentMarkers markers)
{
    /// <summary>After a new revision is durable: removes the old revision's manifests and the chunks only it used.</summary>
    public async Task RetireAsync(Manifest old, Manifest replacement)
    {
        if (!await pool.Manifests.DeleteRevisionAsync(old.FileId, old.Revision, CancellationToken.None))
        {
            return; // a copy of the old revision remains and still names its chunks: 'orphans' removes both later
        }

        var kept = replacement.Chunks.SelectMany(c => c.Locations).Select(l => (l.Remote, l.Object)).ToHashSet();
        var unused = old.Chunks.SelectMany(c => c.Locations)
            .Where(l => !kept.Contains((l.Remote, l.Object)))
            .Select(l => (pool.RemoteOf(l), l.Object));
        await ReleaseChunksAsync(old, unused, $"the previous version of {old.Path}");
    }

    /// <summary>
    /// After an upload: removes what its attempts wrote that the manifest does not name. Remotes that failed with a
    /// transient error (unreachable) are not asked again: what they may hold is left to 'orphans'.
    /// </summary>
    public async Task DiscardUnusedAsync(UploadContext upload, Manifest manifest)
    {
        if (upload.Written.IsEmpty)
        {
            return; // a file inside its manifest, or a duplicate found before anything was stored
        }

        var used = manifest.Chunks.SelectMany(c => c.Locations).Select(l => (l.Remote, l.Object)).ToHashSet();
        await DiscardAsync(upload, upload.Written.Keys.Where(o => !used.Contains((o.Remote.Name, o.Object))), $"the upload of {manifest.Path}");
    }

    /// <summary>
    /// Removes objects an upload wrote. On a remote that failed transiently in this upload, one delete is tried first,
    /// without retries: when the remote still does not answer, the rest is left to 'orphans' instead of waiting on it.
    /// </summary>
    public async Task DiscardAsync(UploadContext upload, IEnumerable<(PoolRemote Remote, string Object)> objects, string what)
    {
        var deletable = new List<(PoolRemote Remote, string Object)>();
        foreach (var group in objects.Where(o => !ManifestNames.IsContentAddressed(o.Object)).GroupBy(o => o.Remote))
        {
            var items = group.ToList();
            if (upload.Failures.TryGetValue(group.Key.Name, out var failure) && failure.Kind == PoolErrorKind.Transient)
            {
                try
                {
                    await pool.StoreOnce.DeleteAsync(new RemotePath(group.Key.Storage, items[0].Object), CancellationToken.None);
                    items.RemoveAt(0);
                }
                catch (PoolException e)
                {
                    pool.Logger.LogWarning("{Remote} still fails ({Error}); {Count} objects from {What} are left there for 'rclonepool orphans --delete'.", group.Key.Name, e.Message, items.Count, what);
                    continue;
                }
            }

            deletable.AddRange(items);
        }

        await DeleteObjectsAsync(deletable, what);
    }

    /// <summary>
    /// Removes chunk objects an entry no longer uses, unless its content may be shared with another file (a shared-content
    /// marker, or content-addressed objects): those are left for 'rclonepool orphans', which removes them once no manifest
    /// on any remote names them.
    /// </summary>
    public async Task ReleaseChunksAsync(Manifest owner, IEnumerable<(PoolRemote Remote, string Object)> objects, string what)
    {
        var unused = objects.Where(o => !ManifestNames.IsContentAddressed(o.Object)).Distinct().ToList();
        if (unused.Count == 0)
        {
            return;
        }

        if (owner.Sha256 is { } sha256 && await markers.MaybeSharedAsync(sha256))
        {
            pool.Logger.LogInformation("Kept {Count} chunk objects of {What}: its content is shared with another file; 'rclonepool orphans --delete' removes them when nothing uses them.", unused.Count, what);
            return;
        }

        await DeleteObjectsAsync(unused, what);
    }

    /// <summary>Best-effort removal of chunk objects; what cannot be removed is left for 'orphans'.</summary>
    private async Task DeleteObjectsAsync(IEnumerable<(PoolRemote Remote, string Object)> objects, string what)
    {
        var distinct = objects.Distinct().ToList();
        if (distinct.Count == 0)
        {
            return;
        }

        await Parallel.ForEachAsync(distinct, new ParallelOptions { MaxDegreeOfParallelism = PoolContext.MetadataParallelism }, async (o, _) =>
        {
            try
            {
                await pool.Store.DeleteAsync(new RemotePath(o.Remote.Storage, o.Object), CancellationToken.None);
            }
            catch (PoolException e)
            {
                pool.Logger.LogWarning("Could not remove {Object} on {Remote} from {What} ({Error}); 'rclonepool orphans --delete' will.", o.Object, o.Remote.Name, what, e.Message);
            }
        });
    }
}
