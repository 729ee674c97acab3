using Microsoft.Extensions.Logging;
using RclonePool.Core.Events;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;

namespace RclonePool.Core.Pool.Writing;

/// <summary>
/// Changes to an entry that write no data: a new revision of its manifest (rename, properties, a directory object),
/// and its removal. The new revision is durable before the old one goes (invariant 2 of DESIGN.md).
/// </summary>
internal sealed class EntryRevisions(PoolContext pool, ObjectReclaimer reclaimer)
{
    /// <summary>Writes the next revision of an entry, indexes it, then removes the previous revision's manifests.</summary>
    public async Task ReviseAsync(Manifest current, Manifest changed, CancellationToken cancellationToken)
    {
        var next = changed with { Revision = current.Revision + 1, Written = pool.Time.GetUtcNow() };
        await pool.Manifests.WriteAsync(next, cancellationToken);
        await pool.Index.PutAsync(next, CancellationToken.None);
        if (current.Revision > 0)
        {
            await pool.Manifests.DeleteRevisionAsync(current.FileId, current.Revision, CancellationToken.None);
        }
    }

    /// <summary>Writes a new directory object.</summary>
    public async Task CreateDirectoryAsync(PoolPath path, CancellationToken cancellationToken)
    {
        var manifest = NewDirectory(path);
        await pool.Manifests.WriteAsync(manifest, cancellationToken);
        await pool.Index.PutAsync(manifest, CancellationToken.None);
    }

    /// <summary>The manifest of a directory object not written yet (revision 1).</summary>
    public Manifest NewDirectory(PoolPath path)
    {
        var now = pool.Time.GetUtcNow();
        return new Manifest
        {
            PoolId = pool.PoolId,
            FileId = ManifestNames.NewId(),
            Kind = EntryKind.Directory,
            Path = path.Value,
            Created = now,
            Modified = now,
            Written = now,
        };
    }

    /// <summary>Removes an entry: its manifests first (so nothing points at missing chunks), then its chunks.</summary>
    public async Task DeleteAsync(Manifest manifest, CancellationToken cancellationToken, bool alreadyUnindexed = false)
    {
        cancellationToken.ThrowIfCancellationRequested();
        pool.FileEvents.Publish(PoolEventType.PreDelete, manifest);
        var removed = await pool.Manifests.DeleteEntryAsync(manifest.FileId, manifest.Revision, CancellationToken.None);
        if (!alreadyUnindexed)
        {
            await pool.Index.RemoveAsync(manifest.FileId, CancellationToken.None);
        }

        // Chunks go only when no manifest copy is left to name them, and not while another file may share them.
        if (removed)
        {
            await reclaimer.ReleaseChunksAsync(manifest, manifest.Chunks.SelectMany(c => c.Locations).Select(l => (pool.RemoteOf(l), l.Object)), manifest.Path);
        }
        else
        {
            pool.Logger.LogWarning("A manifest copy of {Path} could not be removed, so its chunks are kept; delete it again when every remote answers.", manifest.Path);
        }

        pool.FileEvents.Publish(PoolEventType.PostDelete, manifest);
        pool.Logger.LogInformation("Deleted {Path}.", manifest.Path);
    }
}
