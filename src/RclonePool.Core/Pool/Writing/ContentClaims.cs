using System.Text.Json;
using Microsoft.Extensions.Logging;
using RclonePool.Core.Errors;
using RclonePool.Core.Manifests;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Pool.Writing;

/// <summary>
/// Writes and removes <see cref="ContentClaim"/>s: before an upload relies on a content-addressed object it did not
/// write, it claims the object, then checks that it still exists (docs/efficiency.md has the argument why a sweep
/// then never removes it under the upload). One claim per reused chunk, on one remote.
/// </summary>
internal sealed class ContentClaims(PoolContext pool)
{
    /// <summary>Claims the objects; false when no remote could store the claim (the caller then writes the objects itself).</summary>
    public async Task<bool> ClaimAsync(UploadContext upload, IReadOnlyList<(PoolRemote Remote, string Object)> objects, CancellationToken cancellationToken)
    {
        var claim = new ContentClaim
        {
            Objects = [.. objects.Select(o => new SharedObject(o.Remote.Name, o.Object))],
            Written = pool.Time.GetUtcNow(),
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(claim, SharedContentJsonContext.Default.ContentClaim);
        var id = ManifestNames.NewId();

        // The remotes that hold the objects first: a sweep can only remove them when it lists those remotes anyway.
        var order = objects.Select(o => o.Remote).Concat(pool.Remotes).Distinct().Where(r => !upload.Failures.ContainsKey(r.Name) && !pool.Unclaimed.Names.Contains(r.Name));
        foreach (var remote in order)
        {
            var path = pool.Layout.ContentClaim(remote, id);
            try
            {
                upload.Claims.Add(path);
                await pool.Store.WriteBytesAsync(path, bytes, cancellationToken);
                return true;
            }
            catch (PoolException e) when (e.Kind is PoolErrorKind.Transient or PoolErrorKind.Remote or PoolErrorKind.NoSpace)
            {
                pool.Logger.LogWarning("Could not write a content claim on {Remote} ({Error}); trying another remote.", remote.Name, e.Message);
            }
        }

        return false;
    }

    /// <summary>Removes the claims of an upload once its manifest names what they claimed (or it failed). Best effort: 'orphans' removes old claims.</summary>
    public async Task RemoveAsync(UploadContext upload)
    {
        if (upload.Claims.IsEmpty)
        {
            return; // most uploads claim nothing; an empty Parallel.ForEachAsync still queues its workers to the thread pool
        }

        await Parallel.ForEachAsync(upload.Claims, new ParallelOptions { MaxDegreeOfParallelism = PoolContext.MetadataParallelism }, async (path, _) =>
        {
            try
            {
                await pool.Store.DeleteAsync(path, CancellationToken.None);
            }
            catch (PoolException e)
            {
                pool.Logger.LogDebug("Could not remove the content claim {Claim} ({Error}); 'rclonepool orphans --delete' will.", path.Path, e.Message);
            }
        });
    }
}
