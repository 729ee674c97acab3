namespace RclonePool.Core.Manifests;

/// <summary>
/// Where one stored object of a chunk lives. <see cref="Remote"/> is the pool remote's name as in the config
/// ("gdrive:"), so a crypt overlay can be swapped without rewriting manifests.
/// </summary>
public sealed record ChunkLocation
{
    public required string Remote { get; init; }

    /// <summary>Object path relative to the remote root (under <c>data_prefix</c>).</summary>
    public required string Object { get; init; }

    public LocationRole Role { get; init; } = LocationRole.Data;

    /// <summary>Shard number within the stripe when <see cref="Role"/> is <see cref="LocationRole.Shard"/>.</summary>
    public int? Shard { get; init; }

    /// <summary>Bytes of the stored object.</summary>
    public long StoredLength { get; init; }

    /// <summary>SHA-256 (hex) of the stored object when it differs from the chunk's plain bytes (shards, compressed data).</summary>
    public string? StoredSha256 { get; init; }

    /// <summary>
    /// For a parity shard: the digests of its blocks (one per stripe row, base64 as <see cref="ChunkEntry.BlockHashes"/>),
    /// so a degraded read can tell a damaged parity block from a good one. Data shards and copies are checked against
    /// the chunk's own block digests.
    /// </summary>
    public string? BlockHashes { get; init; }
}
