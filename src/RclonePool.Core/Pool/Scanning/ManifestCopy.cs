using RclonePool.Core.Manifests;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Pool.Scanning;

/// <summary>
/// One remote's copy of one manifest revision, as its listing shows it: a single object, or a record of a pack
/// (<paramref name="Record"/>: read with the pack; <paramref name="Entry"/> is then the pack's listing entry, shared by
/// every record of the pack). A packed copy cannot be removed alone: compaction drops it. A value, not an object: a
/// survey holds one per file and remote.
/// </summary>
public readonly record struct ManifestCopy(PoolRemote Remote, RemoteEntry Entry, PackRecord? Record = null)
{
    public bool IsPacked => Record is not null;

    /// <summary>The packed record's bytes (empty for a record a lean survey kept parsed: <see cref="PackRecord.Lean"/>); null for a single object.</summary>
    public byte[]? Packed => Record?.Bytes;

    /// <summary>The copy's size as the listing shows it: the object's, or the record's length inside its pack.</summary>
    public long Size => Record?.Length ?? Entry.Size;
}
