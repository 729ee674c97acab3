namespace RclonePool.Core.Manifests;

/// <summary>One chunk of a file: the plain byte range it covers, its hashes, and where it is stored.</summary>
public sealed record ChunkEntry
{
    public int Index { get; init; }

    /// <summary>Offset of the chunk's first byte in the file.</summary>
    public long Offset { get; init; }

    /// <summary>Plain (uncompressed) length of the chunk.</summary>
    public long Length { get; init; }

    /// <summary>SHA-256 (lowercase hex) of the chunk's plain bytes.</summary>
    public required string Sha256 { get; init; }

    /// <summary>
    /// Block digests of the plain bytes, concatenated and base64-encoded: one <see cref="Manifest.BlockHash"/>
    /// digest per <see cref="Manifest.BlockSize"/> bytes (the last block may be shorter). Lets a ranged read be
    /// verified without reading the whole chunk.
    /// </summary>
    public required string BlockHashes { get; init; }

    /// <summary>Encoding of the stored bytes: null for raw, "zstd" for compressed.</summary>
    public string? Codec { get; init; }

    public required IReadOnlyList<ChunkLocation> Locations { get; init; }

    /// <summary>
    /// The chunk's plain bytes (base64) when the file is small enough to live inside its manifest: no object is
    /// stored, and the manifest on every remote carries the data. <see cref="Locations"/> is then empty.
    /// </summary>
    public string? Inline { get; init; }
}
