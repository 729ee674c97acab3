using System.Text.Json;
using Microsoft.Extensions.Logging;
using RclonePool.Core.Errors;
using RclonePool.Core.Manifests;
using RclonePool.Core.Pool;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Jobs;

/// <summary>
/// The content claims on the remotes (<see cref="ContentClaim"/>), read by 'orphans' after the manifests: the objects
/// that claims younger than the grace period name (an upload is about to name them in its manifest), and the claims old
/// enough to remove. A claim that cannot be read protects nothing it names, so it blocks the removal of every
/// content-addressed object instead.
/// </summary>
internal sealed class ClaimedObjects
{
    private ClaimedObjects(HashSet<(string Remote, string Object)> protectedObjects, List<OrphanObject> stale, bool unreadable)
    {
        Protected = protectedObjects;
        Stale = stale;
        Unreadable = unreadable;
    }

    /// <summary>Objects named by a young claim: never removed by this sweep.</summary>
    public IReadOnlySet<(string Remote, string Object)> Protected { get; }

    /// <summary>Claims older than the grace period: removable.</summary>
    public IReadOnlyList<OrphanObject> Stale { get; }

    /// <summary>True when some claim directory or young claim could not be read: no content-addressed object may go.</summary>
    public bool Unreadable { get; }

    public bool Keeps(string remote, string objectPath) =>
        Protected.Contains((remote, objectPath)) || (Unreadable && ManifestNames.IsContentAddressed(objectPath));

    /// <summary>Lists and reads the claims on every remote (one listing per remote, one read per young claim).</summary>
    public static async Task<ClaimedObjects> ReadAsync(PoolContext pool, IEnumerable<PoolRemote> remotes, Func<DateTimeOffset, bool> oldEnough, CancellationToken cancellationToken)
    {
        var protectedObjects = new HashSet<(string Remote, string Object)>();
        var stale = new List<OrphanObject>();
        var unreadable = false;
        foreach (var remote in remotes)
        {
            try
            {
                await foreach (var entry in pool.Store.ListAsync(pool.Layout.ContentClaimDirectory(remote), recursive: false, cancellationToken))
                {
                    if (entry.IsDirectory)
                    {
                        continue;
                    }

                    if (oldEnough(entry.ModTime))
                    {
                        stale.Add(new OrphanObject(remote.Name, entry.Path, entry.Size, entry.ModTime, true, "content claim"));
                        continue;
                    }

                    var bytes = await pool.Store.TryReadBytesAsync(new RemotePath(remote.Storage, entry.Path), cancellationToken);
                    if (bytes is null)
                    {
                        continue; // removed since the listing: its upload's manifest is durable, or it failed
                    }

                    var claim = JsonSerializer.Deserialize(bytes, SharedContentJsonContext.Default.ContentClaim);
                    foreach (var o in claim?.Objects ?? [])
                    {
                        protectedObjects.Add((o.Remote, o.Object));
                    }
                }
            }
            catch (Exception e) when (e is PoolException or JsonException)
            {
                pool.Logger.LogWarning("The content claims on {Remote} could not be read ({Error}); no content-addressed chunk is removed in this run.", remote.Name, e.Message);
                unreadable = true;
            }
        }

        return new ClaimedObjects(protectedObjects, stale, unreadable);
    }
}
