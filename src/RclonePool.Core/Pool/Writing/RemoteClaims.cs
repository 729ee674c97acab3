using RclonePool.Core.Placement;

namespace RclonePool.Core.Pool.Writing;

/// <summary>
/// The remotes the objects of one chunk occupy, so that no two copies or shards of a chunk share a remote (losing
/// one remote then loses at most one of them). Thread-safe: the copies of a chunk are placed concurrently.
/// </summary>
internal sealed class RemoteClaims(IEnumerable<string>? taken = null)
{
    private readonly HashSet<string> _taken = new(taken ?? [], StringComparer.Ordinal);

    /// <summary>Reserves room for <paramref name="bytes"/> on a remote no other object of the chunk uses.</summary>
    public string Reserve(PlacementSession placement, long bytes)
    {
        lock (_taken)
        {
            var remote = placement.Reserve(bytes, _taken);
            _taken.Add(remote);
            return remote;
        }
    }

    /// <summary>Gives back a remote whose object was not stored.</summary>
    public void Give(PlacementSession placement, string remote, long bytes)
    {
        lock (_taken)
        {
            placement.Release(remote, bytes);
            _taken.Remove(remote);
        }
    }
}
