namespace RclonePool.Core.Index;

/// <summary>
/// What the current manifests place on one remote: chunk objects (copies and parity shards included) and their stored
/// bytes. Both are counted per manifest, so an object that several files share (duplicate content) counts once for
/// each file naming it, as <see cref="IPoolIndex.StoredBytesByRemoteAsync"/> does.
/// </summary>
public readonly record struct RemoteTotals(long Objects, long StoredBytes);
