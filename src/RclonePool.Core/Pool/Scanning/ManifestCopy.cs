using RclonePool.Core.Remotes;

namespace RclonePool.Core.Pool.Scanning;

/// <summary>
/// One remote's copy of one manifest revision, as its listing shows it: a single object, or a record of a pack
/// (<paramref name="Packed"/>: its bytes, read with the pack; <see cref="RemoteEntry.Path"/> is then the pack's path and
/// <see cref="RemoteEntry.Size"/> the record's length). A packed copy cannot be removed alone: compaction drops it.
/// </summary>
public sealed record ManifestCopy(PoolRemote Remote, RemoteEntry Entry, byte[]? Packed = null)
{
    public bool IsPacked => Packed is not null;
}
