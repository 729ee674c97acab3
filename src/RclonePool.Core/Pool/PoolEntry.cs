using RclonePool.Core.Index;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;

namespace RclonePool.Core.Pool;

/// <summary>What the pool façade reports about one file or directory.</summary>
public sealed record PoolEntry
{
    private static readonly IReadOnlyDictionary<string, string> EmptyProperties = new Dictionary<string, string>();

    public required PoolPath Path { get; init; }

    public EntryKind Kind { get; init; }

    public long Size { get; init; }

    public DateTimeOffset Created { get; init; }

    public DateTimeOffset Modified { get; init; }

    /// <summary>Whole-file SHA-256 (hex); null for directories.</summary>
    public string? Sha256 { get; init; }

    /// <summary>Identity of the entry across renames; null for directories implied by files below them.</summary>
    public string? FileId { get; init; }

    public long Revision { get; init; }

    /// <summary>A strong validator that changes whenever the content changes.</summary>
    public string ETag => Sha256 is not null
        ? $"\"{Sha256[..32]}\""
        : $"\"d-{FileId ?? Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Path.Value)))[..16]}-{Revision}\"";

    /// <summary>Dead properties stored with the entry.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    public bool IsDirectory => Kind == EntryKind.Directory;

    /// <summary>The entry a manifest describes.</summary>
    public static PoolEntry Of(Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return new PoolEntry
        {
            Path = PoolPath.Parse(manifest.Path),
            Kind = manifest.Kind,
            Size = manifest.Size,
            Created = manifest.Created,
            Modified = manifest.Modified,
            Sha256 = manifest.Sha256,
            FileId = manifest.FileId,
            Revision = manifest.Revision,
            Properties = manifest.Properties ?? EmptyProperties,
        };
    }

    /// <summary>The entry an index row describes (a file, a directory object, or a directory implied by what is below it).</summary>
    public static PoolEntry Of(IndexEntry item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new PoolEntry
        {
            Path = PoolPath.Parse(item.Path),
            Kind = item.Kind,
            Size = item.Size,
            Modified = item.Modified,
            Created = item.Created,
            Sha256 = item.Sha256,
            FileId = item.FileId,
            Revision = item.Revision,
            Properties = item.Properties ?? EmptyProperties,
        };
    }

    /// <summary>Set by an upload that found the same content already in the pool (duplicate detection): no chunks were stored.</summary>
    public PoolPath? DuplicateOf { get; init; }
}
