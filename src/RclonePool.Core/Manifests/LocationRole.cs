namespace RclonePool.Core.Manifests;

/// <summary>What a stored object holds for its chunk.</summary>
public enum LocationRole
{
    /// <summary>The chunk's bytes (possibly compressed, see <see cref="ChunkEntry.Codec"/>).</summary>
    Data,

    /// <summary>Another full copy of the chunk's stored bytes.</summary>
    Replica,

    /// <summary>One shard of a Reed-Solomon stripe (data shard 0..k-1 or parity shard k..k+m-1).</summary>
    Shard,
}
