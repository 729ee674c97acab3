namespace RclonePool.Core.Manifests;

/// <summary>
/// One line of a <see cref="ManifestPack"/>: a manifest revision exactly as it would be stored alone, or a
/// <see cref="Tombstone"/>. <see cref="Bytes"/> is the record's JSON, the same bytes a single manifest object holds.
/// </summary>
public sealed record PackRecord(string FileId, long Revision, bool IsTombstone, byte[] Bytes)
{
    private readonly int _length = -1;

    /// <summary>
    /// The record parsed as it was read, in its lean form (<see cref="Manifest.Lean"/>), for a survey that keeps lean
    /// manifests (verify --quick, orphans): its <see cref="Bytes"/> are then empty, and <see cref="Length"/> and
    /// <see cref="Digest"/> describe the line it was parsed from. Null for a record kept as its bytes.
    /// </summary>
    public Manifest? Lean { get; init; }

    /// <summary>The record's length in its pack: that of <see cref="Bytes"/>, or of the line <see cref="Lean"/> was parsed from.</summary>
    public int Length { get => _length >= 0 ? _length : Bytes.Length; init => _length = value; }

    /// <summary>The XxHash128 of the line a <see cref="Lean"/> record was parsed from (zero for a record kept as its bytes): copies with the same one hold the same bytes.</summary>
    public UInt128 Digest { get; init; }

    /// <summary>Whether <paramref name="line"/> holds this record's bytes (its digest, for a lean record).</summary>
    public bool Holds(ReadOnlySpan<byte> line) => Lean is null
        ? Bytes.AsSpan().SequenceEqual(line)
        : Length == line.Length && Digest == System.IO.Hashing.XxHash128.HashToUInt128(line);

    /// <summary>Whether the two records hold the same bytes (by reference, bytes or digest).</summary>
    public bool SameBytes(PackRecord other) => ReferenceEquals(this, other) || (Lean is null ? other.Holds(Bytes) : other.Lean is not null && other.Length == Length && other.Digest == Digest);
}
