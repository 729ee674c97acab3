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

    /// <summary>
    /// Encoding of the stored bytes: null for raw, "zstd" when each hash block was compressed on its own (format 3,
    /// docs/manifest-format.md), or the stages of plugins (format 5, <see cref="ChunkCodec"/>: "compression:lz4",
    /// "zstd,encryption:aes", …). A coded chunk's objects hold its stored form: the blocks one after another, each encoded
    /// on its own (compressed only where that made it smaller).
    /// </summary>
    public string? Codec { get; init; }

    /// <summary>Bytes of the stored form of a compressed chunk (the sum of <see cref="StoredBlockLengths"/>); null when raw.</summary>
    public long? StoredLength { get; init; }

    /// <summary>SHA-256 (lowercase hex) of the stored form of a compressed chunk; null when raw.</summary>
    public string? StoredSha256 { get; init; }

    /// <summary>
    /// Block digests of the stored form of a compressed chunk, cut into blocks of <see cref="Manifest.BlockSize"/> like
    /// plain bytes: what copies and stripes of the stored form are checked against; null when raw.
    /// </summary>
    public string? StoredBlockHashes { get; init; }

    /// <summary>
    /// Stored bytes of each hash block of a compressed chunk, in order: a block whose stored length equals its plain
    /// length is raw, a shorter one is a zstd frame (under encryption, the same holds of the decrypted block). Null when raw.
    /// </summary>
    public IReadOnlyList<int>? StoredBlockLengths { get; init; }

    /// <summary>True when the chunk's objects hold a compressed stored form.</summary>
    public bool IsCompressed => Codec is not null;

    /// <summary>
    /// The chunk as its objects hold it: for a compressed chunk the stored form (its length, SHA-256 and block digests),
    /// which is what copies and parity stripes are made of; the chunk itself when it is raw.
    /// </summary>
    public ChunkEntry StoredForm() => Codec is null ? this : this with
    {
        Length = StoredLength ?? Length,
        Sha256 = StoredSha256 ?? Sha256,
        BlockHashes = StoredBlockHashes ?? BlockHashes,
        Codec = null,
        StoredLength = null,
        StoredSha256 = null,
        StoredBlockHashes = null,
        StoredBlockLengths = null,
    };

    public required IReadOnlyList<ChunkLocation> Locations { get; init; }

    /// <summary>
    /// The chunk's plain bytes (base64) when the file is small enough to live inside its manifest: no object is
    /// stored, and the manifest on every remote carries the data. <see cref="Locations"/> is then empty.
    /// </summary>
    public string? Inline { get; init; }
}
