using System.Text.Json;
using Microsoft.Extensions.Logging;
using RclonePool.Core.Errors;
using RclonePool.Core.Manifests;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Pool.Writing;

/// <summary>
/// Shared-content markers: a file whose content has a marker may share its chunks with other files, so delete and
/// overwrite never remove those chunks; <c>rclonepool orphans</c> removes them once nothing references them.
/// </summary>
internal sealed class SharedContentMarkers(PoolContext pool)
{
    /// <summary>Writes (or refreshes) the content's marker on every remote; true when at least one remote holds it.</summary>
    public async Task<bool> WriteAsync(Manifest candidate, CancellationToken cancellationToken)
    {
        var marker = new SharedContent
        {
            Sha256 = candidate.Sha256!,
            Size = candidate.Size,
            Objects = [.. candidate.Chunks.SelectMany(c => c.Locations).Select(l => new SharedObject(l.Remote, l.Object))],
            Written = pool.Time.GetUtcNow(),
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(marker, SharedContentJsonContext.Default.SharedContent);
        var written = await Task.WhenAll(pool.Remotes.Select(async remote =>
        {
            try
            {
                await pool.Store.WriteBytesAsync(pool.Layout.SharedMarker(remote, marker.Sha256), bytes, cancellationToken);
                return true;
            }
            catch (PoolException e)
            {
                pool.Logger.LogWarning("Could not mark the content of {Path} as shared on {Remote} ({Error}).", candidate.Path, remote.Name, e.Message);
                return false;
            }
        }));
        return written.Any(w => w);
    }

    /// <summary>True when the content may be shared by several files (a marker exists, or some remote could not tell).</summary>
    public async Task<bool> MaybeSharedAsync(string sha256)
    {
        var answers = await Task.WhenAll(pool.Remotes.Select(async remote =>
        {
            try
            {
                return await pool.Store.StatAsync(pool.Layout.SharedMarker(remote, sha256), CancellationToken.None) is not null;
            }
            catch (PoolException)
            {
                return true;
            }
        }));
        return answers.Any(a => a);
    }
}
